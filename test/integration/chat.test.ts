import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConnectionRepository } from '../../lambdas/adapters/dynamodb/connection-repository';
import {
  ConnectionRefusedError,
  type Frame,
  type LocalParleyProcess,
  startLocalParley,
  type TestClient,
} from '../support/local-parley';
import { until } from '../support/wait';

/**
 * Parley through its front door: the local runtime started like `npm start`,
 * driven over real WebSockets with tokens from the local identity provider.
 */
describe('Parley on the local runtime', () => {
  let parley: LocalParleyProcess;
  const connect = (name: string) => parley.connect(name);
  const isMessage = (roomId: string) => (f: Frame) => f.type === 'message' && f['roomId'] === roomId;
  const textOf = (f: Frame) => (f['message'] as { text: string }).text;

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('delivers messages of two people in a room to both, in order', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'lobby' });
    await bob.ok('joinRoom', { roomId: room.roomId });

    const sent = ['a1', 'b1', 'a2', 'b2', 'a3', 'b3'];
    for (const text of sent) {
      const sender = text.startsWith('a') ? alice : bob;
      await sender.ok('sendMessage', { roomId: room.roomId, text, clientMessageId: `c-${text}` });
    }

    // Each sees its own messages at once and the other's once moderated;
    // messages show in id order, which is the order they were sent.
    const byId = (frames: Frame[]) =>
      frames
        .map((f) => f['message'] as { messageId: string; text: string; senderName: string })
        .sort((a, b) => a.messageId.localeCompare(b.messageId));
    const seenByAlice = byId(await alice.waitForCount(isMessage(room.roomId), sent.length));
    const seenByBob = byId(await bob.waitForCount(isMessage(room.roomId), sent.length));
    expect(seenByAlice.map((m) => m.text)).toEqual(sent);
    expect(seenByBob.map((m) => m.text)).toEqual(sent);
    // And the other's messages arrive in the order they were sent.
    const fromAlice = bob.frames.filter(isMessage(room.roomId)).map(textOf).filter((t) => t.startsWith('a'));
    expect(fromAlice).toEqual(['a1', 'a2', 'a3']);
  });

  it('pages through history, oldest to newest within each page', async () => {
    const carol = await connect('carol');
    const { room } = await carol.ok<{ room: { roomId: string } }>('createRoom', { name: 'history' });
    const texts = Array.from({ length: 7 }, (_, i) => `h${i}`);
    for (const text of texts) await carol.ok('sendMessage', { roomId: room.roomId, text, clientMessageId: text });

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await carol.ok<{ items: Array<{ text: string }>; nextCursor?: string }>('getHistory', {
        roomId: room.roomId,
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page.items.map((m) => m.text));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 5);

    expect(pages).toEqual([['h4', 'h5', 'h6'], ['h1', 'h2', 'h3'], ['h0']]);
  });

  it('removes a vanished connection on the next fan-out (410) and still delivers to the others', async () => {
    const dave = await connect('dave');
    const { room } = await dave.ok<{ room: { roomId: string } }>('createRoom', { name: 'stale' });
    const tableName = Object.entries(parley.tables).find(([key]) => /connection/i.test(key))?.[1];
    expect(tableName).toBeDefined();
    const repository = new DynamoConnectionRepository(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: parley.dynamoDbEndpoint,
          region: parley.region,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
      ),
      tableName as string,
    );
    // A client whose $disconnect never ran: still subscribed, unknown to the gateway. It opened a
    // minute ago: one younger than $connect's 30 s window is kept (it may still be connecting).
    await repository.saveConnection(
      { connectionId: 'vanished0000AA=', userId: 'ghost', displayName: 'ghost', connectedAt: new Date(Date.now() - 60_000).toISOString() },
      [room.roomId],
    );
    expect((await repository.listRoomConnections(room.roomId)).map((c) => c.connectionId)).toContain('vanished0000AA=');

    await dave.ok('sendMessage', { roomId: room.roomId, text: 'anyone?', clientMessageId: 'stale-1' });

    // sendMessage's fan-out to the room meets the vanished connection.
    await dave.waitFor((f) => f.type === 'message' && f['roomId'] === room.roomId);
    const remaining = await until(
      async () => (await repository.listRoomConnections(room.roomId)).map((c) => c.connectionId),
      (ids) => !ids.includes('vanished0000AA='),
    );
    expect(remaining).toHaveLength(1);
  });

  it('refuses a connection without a token (401) and with a token it did not sign (403)', async () => {
    const forged = (await parley.token('mallory')).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');

    const noToken = parley.connect({ query: '' });
    const badToken = parley.connect({ query: `token=${forged}` });

    await expect(noToken).rejects.toMatchObject(new ConnectionRefusedError(401));
    await expect(badToken).rejects.toMatchObject(new ConnectionRefusedError(403));
  });

  it('refuses every action once the connection’s token has expired, storing nothing', async () => {
    const owner = await connect('olivia');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'brief' });
    // A token valid for a few seconds: long enough to connect and join on a loaded machine.
    const token = await parley.token('brief-visitor', { expiresInSeconds: 8 });
    const expiresAtMs = (JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { exp: number }).exp * 1000;
    const visitor = await parley.connect({ query: `token=${token}` });
    const joined = await visitor.request('joinRoom', { roomId: room.roomId });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAtMs - Date.now()) + 200));

    const send = await visitor.request('sendMessage', { roomId: room.roomId, clientMessageId: 'late', text: 'still here?' });
    // Whatever the frame holds, the session comes first: not JSON, an unknown
    // action (the $default route), fields that fail validation.
    visitor.send('{not json');
    const notJson = await visitor.waitFor((f) => f.type === 'error' && f.requestId === undefined);
    const unknown = await visitor.request('fly', {});
    const invalid = await visitor.request('sendMessage', { roomId: room.roomId, clientMessageId: 'cm-\ud800', text: '' });
    const history = await owner.ok<{ items: unknown[] }>('getHistory', { roomId: room.roomId });

    expect(joined).toMatchObject({ type: 'ack', action: 'joinRoom' });
    expect(send).toMatchObject({ type: 'error', code: 'SESSION_EXPIRED', action: 'sendMessage' });
    expect(notJson).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(unknown).toMatchObject({ type: 'error', code: 'SESSION_EXPIRED', action: 'fly' });
    expect(invalid).toMatchObject({ type: 'error', code: 'SESSION_EXPIRED', action: 'sendMessage' });
    expect(history.items).toEqual([]);
    // A fresh token opens a new connection that works again.
    const renewed = await connect('brief-visitor');
    expect(await renewed.request('listRooms', {})).toMatchObject({ type: 'ack' });
  }, 30_000);

  it('refuses changes over the user’s action budget with RATE_LIMITED, applying none of them, and still lets them send', async () => {
    const flooder = await connect('flooder');
    // Far more changes at once than the budget's burst (30) plus what it
    // refills (2/s) while they are answered.
    const attempts = 80;
    for (let i = 0; i < attempts; i += 1) {
      flooder.send(JSON.stringify({ action: 'createRoom', requestId: `flood-${i}`, name: `flood ${i}` }));
    }
    const answers = await flooder.waitForCount((f) => String(f.requestId).startsWith('flood-'), attempts, 90_000);
    const created = answers.filter((f) => f.type === 'ack');
    const refused = answers.filter((f) => f.type === 'error');

    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((f) => f['code'] === 'RATE_LIMITED')).toBe(true);
    // Exactly the acknowledged rooms exist: a refused change left nothing behind.
    const listed = await flooder.ok<{ rooms: Array<{ role?: string }> }>('listRooms', { limit: 100 });
    expect(listed.rooms.filter((r) => r.role === 'owner')).toHaveLength(created.length);
    // Sending spends a budget of its own.
    const roomId = (created[0]!['data'] as { room: { roomId: string } }).room.roomId;
    await flooder.ok('sendMessage', { roomId, text: 'still here', clientMessageId: 'after-flood' });
  }, 120_000);

  it('answers malformed frames with error frames and keeps the connection usable', async () => {
    const erin = await connect('erin');

    erin.send('{not json');
    const malformed = await erin.waitFor((f) => f.type === 'error' && f['code'] === 'MALFORMED_JSON');
    const unknown = await erin.request('fly', {});
    const invalid = await erin.request('createRoom', { name: '' });
    const rooms = await erin.request('listRooms', {});

    expect(malformed['code']).toBe('MALFORMED_JSON');
    expect(unknown).toMatchObject({ type: 'error', code: 'UNKNOWN_ACTION' });
    expect(invalid).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(rooms).toMatchObject({ type: 'ack', action: 'listRooms' });
    expect(erin.socket.readyState).toBe(erin.socket.OPEN);
  });

  it('refuses ids with unpaired surrogates and text with nothing visible, storing nothing', async () => {
    const ivan = await connect('ivan');
    const { room } = await ivan.ok<{ room: { roomId: string } }>('createRoom', { name: 'fuzz' });
    const send = (clientMessageId: string, text: string) =>
      ivan.request('sendMessage', { roomId: room.roomId, clientMessageId, text });

    // Stored as UTF-8, both ids would become "cm-\uFFFD": one message would swallow the other.
    const high = await send('cm-\ud800', 'first');
    const low = await send('cm-\udbff', 'second');
    const zeroWidth = await send('cm-zw', '\u200b\u200c\u200d\u2060\ufeff');
    await ivan.ok('sendMessage', { roomId: room.roomId, clientMessageId: 'cm-ok', text: 'visible' });
    const history = await ivan.ok<{ items: Array<{ text: string }> }>('getHistory', { roomId: room.roomId });

    for (const refused of [high, low]) {
      expect(refused).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
      expect(refused['message']).toContain('clientMessageId: must be well-formed Unicode');
    }
    expect(zeroWidth).toMatchObject({ type: 'error', code: 'BAD_REQUEST', message: 'The text is empty.' });
    expect(history.items.map((m) => m.text)).toEqual(['visible']);
  });

  /** Sends `text` as one message in frames of at most `frameBytes` (API Gateway's frames are 32 KB at most). */
  const sendInFrames = (socket: TestClient['socket'], text: string, frameBytes: number) => {
    for (let at = 0; at < text.length; at += frameBytes) {
      socket.send(text.slice(at, at + frameBytes), { fin: at + frameBytes >= text.length });
    }
  };

  it('closes a connection that sends more than 128 KB with 1009, even in frames of 32 KB', async () => {
    const frank = await connect('frank');

    sendInFrames(frank.socket, JSON.stringify({ action: 'sendMessage', text: 'x'.repeat(130 * 1024) }), 32 * 1024);

    await expect(frank.closed).resolves.toMatchObject({ code: 1009 });
  });

  it('takes a message over 32 KB in several frames, and closes with 1009 when one frame is over 32 KB', async () => {
    const grace = await connect('grace');
    const heidi = await connect('heidi');
    const big = JSON.stringify({ action: 'sendMessage', requestId: 'big', roomId: 'r', clientMessageId: 'b', text: 'x'.repeat(40 * 1024) });

    sendInFrames(grace.socket, big, 16 * 1024);
    const answer = await grace.waitFor((f) => f['requestId'] === 'big');
    heidi.send(big);
    const closed = await heidi.closed;

    // Read in full and judged by Parley (over its 4 KB text limit), on a connection that stays open.
    expect(answer).toMatchObject({ type: 'error', code: 'PAYLOAD_TOO_LARGE' });
    expect(grace.socket.readyState).toBe(grace.socket.OPEN);
    expect(closed.code).toBe(1009);
    expect(heidi.frames.filter((f) => f['requestId'] === 'big')).toEqual([]);
  });
});
