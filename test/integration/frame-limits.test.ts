import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/** API Gateway's limit on one WebSocket message, which the local gateway enforces too. */
const MAX_MESSAGE_BYTES = 128 * 1024;

/** A text of 4,096 bytes of UTF-8 (two-byte letters among one-byte ones), numbered so order can be checked. */
const textOf = (i: number): string => {
  const head = `m${String(i).padStart(2, '0')} `;
  const body = 'héllo wörld '.repeat(400);
  const bytes = (s: string) => Buffer.byteLength(s);
  let text = head + body;
  while (bytes(text) > 4096) text = text.slice(0, -1);
  return text;
};

/**
 * Every answer Parley gives fits in one WebSocket message, whatever a
 * listing's `limit` asks for: pages are cut by bytes, and their cursors
 * continue exactly after the last item kept.
 */
describe('frame limits on the local runtime', () => {
  let parley: LocalParleyProcess;
  let reader: TestClient;
  let roomId: string;
  const texts = Array.from({ length: 60 }, (_, i) => textOf(i));
  const largest = new Map<string, number>();

  /** Sends a request and resolves with its answer and the byte length of the raw message that carried it. */
  async function measured(client: TestClient, action: string, payload: Record<string, unknown>) {
    const frame = await client.request(action, payload);
    const raw = client.raw[client.frames.indexOf(frame)]!;
    return { frame, bytes: Buffer.byteLength(raw) };
  }

  beforeAll(async () => {
    parley = await startLocalParley();
    // Six senders of ten messages each stay within every user's burst of the rate limit.
    const senders = await Promise.all(['ana', 'ben', 'cho', 'dev', 'eli', 'fay'].map((name) => parley.connect(name)));
    const owner = senders[0]!;
    roomId = (await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'big messages' })).room.roomId;
    for (const sender of senders.slice(1)) await sender.ok('joinRoom', { roomId });
    for (const [i, text] of texts.entries()) {
      await senders[Math.floor(i / 10)]!.ok('sendMessage', { roomId, text, clientMessageId: `c${i}` });
    }
    reader = await parley.connect('gus');
    await reader.ok('joinRoom', { roomId });
  }, 120_000);

  afterAll(async () => {
    console.info('largest getHistory answer in bytes, by limit and direction:', Object.fromEntries(largest));
    await parley?.stop();
  });

  it.each([10, 50, 100])(
    'answers getHistory with limit %i in messages of at most 128 KB, reaching all 60 once, in order, backward',
    async (limit) => {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const { frame, bytes } = await measured(reader, 'getHistory', { roomId, limit, ...(cursor ? { cursor } : {}) });
        expect(frame.type).toBe('ack');
        expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        largest.set(`backward ${limit}`, Math.max(largest.get(`backward ${limit}`) ?? 0, bytes));
        const data = frame['data'] as { items: Array<{ text: string }>; nextCursor?: string };
        expect(data.items.length).toBeLessThanOrEqual(limit);
        pages.unshift(data.items.map((m) => m.text));
        cursor = data.nextCursor;
      } while (cursor !== undefined && pages.length < 100);

      expect(pages.flat()).toEqual(texts);
      // 60 messages of 4 KB never fit in one answer: a limit of 50 or 100 is cut by bytes.
      if (limit >= 50) expect(pages[pages.length - 1]!.length).toBeLessThan(limit);
    },
    60_000,
  );

  it.each([10, 50, 100])(
    'answers getHistory with limit %i in messages of at most 128 KB, reaching all 60 once, in order, catching up forward',
    async (limit) => {
      // The smallest message id: catching up from before the room's first message.
      const seen: string[] = [];
      let cursor: string | undefined = '0'.repeat(26);
      while (cursor !== undefined && seen.length <= 60) {
        const { frame, bytes } = await measured(reader, 'getHistory', { roomId, limit, direction: 'forward', cursor });
        expect(frame.type).toBe('ack');
        expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        largest.set(`forward ${limit}`, Math.max(largest.get(`forward ${limit}`) ?? 0, bytes));
        const data = frame['data'] as { items: Array<{ text: string }>; nextCursor?: string };
        seen.push(...data.items.map((m) => m.text));
        cursor = data.nextCursor;
      }

      expect(seen).toEqual(texts);
    },
    60_000,
  );

  it('pages members with their cursor', async () => {
    const userIds: string[] = [];
    let cursor: string | undefined;
    do {
      const data = await reader.ok<{ members: Array<{ userId: string }>; nextCursor?: string }>('listMembers', {
        roomId,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(data.members.length).toBeLessThanOrEqual(2);
      userIds.push(...data.members.map((m) => m.userId));
      cursor = data.nextCursor;
    } while (cursor !== undefined && userIds.length < 20);

    expect(userIds).toHaveLength(7);
    expect(new Set(userIds).size).toBe(7);
  });

  it('never had a route response refused by the gateway for its size', () => {
    const refused = parley.events.filter((e) => /RouteResponseTooLarge/.test(String(e['error'] ?? '')));
    expect(refused).toEqual([]);
  });
});
