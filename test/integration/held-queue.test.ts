import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

type HeldPage = { items: Array<{ messageId: string; text: string; moderation: string }>; nextCursor?: string };
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * The review queue through Parley's front door (real WebSockets against the
 * local runtime): a person's message quarantined at send reaches the queue
 * through the messages stream and the moderation consumer, a moderator
 * lists it however far back it lies, and releasing, hiding, deleting or
 * purging it takes it out again, marker and all. The messages' own expiry
 * and archiving are the retention and room-purge suites' to check.
 */
describe('the review queue on the local runtime', { timeout: 60_000 }, () => {
  let parley: LocalParleyProcess;
  let documents: DynamoDBDocumentClient;
  let moderationTable: string;

  beforeAll(async () => {
    // Parley's own app with the archive consumer's batching shortened, as the purge suite runs it.
    parley = await startLocalParley({
      app: 'test/integration/fixtures/retention-app/app.ts#buildRetentionTestApp',
      startTimeoutMs: 280_000,
    });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials: CREDENTIALS }),
    );
    const table = Object.entries(parley.tables).find(([key]) => /\/ModerationTable/.test(key))?.[1];
    if (table === undefined) throw new Error(`No moderation table among ${Object.keys(parley.tables).join(', ')}`);
    moderationTable = table;
  }, 300_000);

  afterAll(async () => {
    await parley?.stop();
  });

  /** The ids of the room's held markers, as the moderation table stores them. */
  const markers = async (roomId: string) =>
    (
      (
        await documents.send(
          new QueryCommand({
            TableName: moderationTable,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :held)',
            ExpressionAttributeValues: { ':pk': `ROOM#${roomId}`, ':held': 'HELD#' },
            ConsistentRead: true,
          }),
        )
      ).Items ?? []
    ).map((item) => String(item['messageId']));

  /** A room whose moderation quarantines profanity, with `held` messages held and four clean ones after them. */
  async function roomWithHeld(ownerName: string, memberName: string, held: string[]) {
    const owner = await parley.connect(ownerName);
    const member = await parley.connect(memberName);
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'review' });
    const roomId = room.roomId;
    await member.ok('joinRoom', { roomId });
    await owner.ok('setModerationSettings', { roomId, settings: { profanity: { action: 'quarantine' } } });
    for (const [i, text] of held.entries()) await member.ok('sendMessage', { roomId, clientMessageId: `held-${i}`, text });
    for (let i = 0; i < 4; i += 1) await member.ok('sendMessage', { roomId, clientMessageId: `clean-${i}`, text: `clean ${i}` });
    // The consumer holds each message as the stream brings it.
    const queued = await until(
      () => owner.ok<HeldPage>('listHeldMessages', { roomId }),
      (page) => page.items.length === held.length,
    );
    return { owner, member, roomId, queued: queued.items };
  }

  it('lists held messages from before the loaded history to moderators only, oldest first, by page', async () => {
    const { owner, member, roomId, queued } = await roomWithHeld('hana', 'ivo', ['this is bullshit', 'bullshit again']);

    const loaded = await owner.ok<{ items: Array<{ text: string }> }>('getHistory', { roomId, limit: 3 });
    const first = await owner.ok<HeldPage>('listHeldMessages', { roomId, limit: 1 });
    const second = await owner.ok<HeldPage>('listHeldMessages', { roomId, limit: 1, cursor: first.nextCursor });
    const refused = await member.request('listHeldMessages', { roomId });
    const forged = await owner.request('listHeldMessages', { roomId, cursor: 'MSG#x' });
    const tooMany = await owner.request('listHeldMessages', { roomId, limit: 101 });

    expect(loaded.items.map((m) => m.text)).not.toContain('this is bullshit');
    expect(queued.map((m) => [m.text, m.moderation])).toEqual([
      ['this is bullshit', 'quarantined'],
      ['bullshit again', 'quarantined'],
    ]);
    expect(first.items.map((m) => m.text)).toEqual(['this is bullshit']);
    expect(second.items.map((m) => m.text)).toEqual(['bullshit again']);
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(forged).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(tooMany).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(await markers(roomId)).toEqual(queued.map((m) => m.messageId));
  });

  it('takes a released, hidden or deleted message out of the queue at once, and its marker after it', async () => {
    const { owner, roomId, queued } = await roomWithHeld('jon', 'kim', ['bullshit one', 'bullshit two', 'bullshit three']);
    const [released, hidden, deleted] = queued.map((m) => m.messageId) as [string, string, string];

    await owner.ok('releaseMessage', { roomId, messageId: released });
    await owner.ok('hideMessage', { roomId, messageId: hidden });
    await owner.ok('deleteMessage', { roomId, messageId: deleted });
    // Listed right away: a marker the stream has not yet removed is checked against its message.
    const after = await owner.ok<HeldPage>('listHeldMessages', { roomId });

    expect(after.items).toEqual([]);
    expect(await until(() => markers(roomId), (ids) => ids.length === 0)).toEqual([]);
  });

  it('puts a quarantined message back in the queue when it is unhidden', async () => {
    const { owner, roomId, queued } = await roomWithHeld('lea', 'max', ['bullshit to hide']);
    const messageId = queued[0]!.messageId;
    await owner.ok('hideMessage', { roomId, messageId });
    await until(() => markers(roomId), (ids) => ids.length === 0);

    await owner.ok('unhideMessage', { roomId, messageId });
    const back = await until(
      () => owner.ok<HeldPage>('listHeldMessages', { roomId }),
      (page) => page.items.length === 1,
    );

    expect(back.items.map((m) => m.messageId)).toEqual([messageId]);
  });

  it('removes a deleted room’s held markers with its purge', async () => {
    const { owner, roomId, queued } = await roomWithHeld('nia', 'oto', ['bullshit before the end']);
    expect(await markers(roomId)).toEqual(queued.map((m) => m.messageId));

    await owner.ok('deleteRoom', { roomId, confirm: 'review' });

    await parley.waitForEvent((e) => e.event === 'batch' && String(e['mapping']).includes('RoomPurge') && e['outcome'] === 'ok', 90_000);
    expect(await until(() => markers(roomId), (ids) => ids.length === 0, 90_000)).toEqual([]);
  }, 180_000);
});
