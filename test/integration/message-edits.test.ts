import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMemoryStore } from '../../lambdas/adapters/dynamodb/memory-store';
import { toItem } from '../../lambdas/adapters/dynamodb/message-items';
import { DEFAULT_MEMORY_POLICY } from '../../lambdas/domain/memory/types';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { until } from '../support/wait';

type WireMessage = {
  messageId: string;
  text: string;
  moderation?: string;
  editedAt?: string;
  mentions?: Array<{ kind: string; id: string }>;
};
const messageOf = (f: Frame) => f['message'] as WireMessage;

/**
 * Editing and deleting one's own messages through Parley's front door: real
 * WebSockets on the local runtime, with the messages table's stream feeding
 * room memory as it does in AWS.
 */
describe('message edits on the local runtime', () => {
  let parley: LocalParleyProcess;
  let documents: DynamoDBDocumentClient;
  let memory: DynamoMemoryStore;
  let messagesTable: string;
  const tableNamed = (pattern: RegExp) => {
    const name = Object.entries(parley.tables).find(([key]) => pattern.test(key))?.[1];
    if (name === undefined) throw new Error(`No table matching ${pattern}`);
    return name;
  };
  const isIn = (roomId: string, type: string) => (f: Frame) => f.type === type && f['roomId'] === roomId;

  /** A room owned by `owner` (a moderator by role) with `member` in it. */
  const roomOf = async (owner: TestClient, member: TestClient, name: string) => {
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name });
    const { membership } = await member.ok<{ membership: { userId: string } }>('joinRoom', { roomId: room.roomId });
    return { roomId: room.roomId, memberId: membership.userId };
  };
  const send = async (client: TestClient, roomId: string, text: string) =>
    (await client.ok<{ messageId: string }>('sendMessage', { roomId, clientMessageId: `c-${text}`, text })).messageId;
  const history = async (client: TestClient, roomId: string) =>
    (await client.ok<{ items: WireMessage[] }>('getHistory', { roomId })).items;

  beforeAll(async () => {
    parley = await startLocalParley();
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: parley.dynamoDbEndpoint,
        region: parley.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    messagesTable = tableNamed(/\/TablesMessages/);
    memory = new DynamoMemoryStore(documents, tableNamed(/\/MemoryTable/));
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('delivers an edit to the other member as messageUpdated with its marker, stores mentions, and memory keeps only the new text', async () => {
    const ana = await parley.connect('ana');
    const ben = await parley.connect('ben');
    const { roomId, memberId: benId } = await roomOf(ana, ben, 'edits');
    const messageId = await send(ana, roomId, 'The launch is on Tuesdy, @ben');
    const first = await ben.waitFor((f) => isIn(roomId, 'message')(f) && messageOf(f).messageId === messageId);
    expect(messageOf(first).mentions).toEqual([{ kind: 'member', id: benId }]);
    await until(
      async () => (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).map((m) => m.text),
      (texts) => texts.length === 1,
    );

    const ack = await ana.ok<{ editedAt: string }>('editMessage', { roomId, messageId, text: 'The launch is on Thursday' });

    const updated = await ben.waitFor(isIn(roomId, 'messageUpdated'));
    expect(messageOf(updated)).toMatchObject({ messageId, text: 'The launch is on Thursday', editedAt: ack.editedAt });
    expect(messageOf(updated)).not.toHaveProperty('mentions');
    expect((await history(ben, roomId)).map((m) => [m.text, m.editedAt])).toEqual([['The launch is on Thursday', ack.editedAt]]);
    const remembered = await until(
      async () => (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).map((m) => m.text),
      (texts) => texts[0] === 'The launch is on Thursday',
    );
    expect(remembered).toEqual(['The launch is on Thursday']);
  });

  it('refuses an edit of someone else’s message, of a quarantined one and after the window, and changes nothing', async () => {
    const olga = await parley.connect('olga');
    const sam = await parley.connect('sam');
    const { roomId, memberId: samId } = await roomOf(olga, sam, 'refusals');
    await olga.ok('setModerationSettings', { roomId, settings: { profanity: { action: 'quarantine' } } });
    const olgas = await send(olga, roomId, 'owner speaking');
    const quarantined = await send(sam, roomId, 'this is bullshit');
    // A message sent an hour ago, written where sendMessage writes it.
    const oldId = '01KA0000000000000000000001';
    await documents.send(
      new PutCommand({
        TableName: messagesTable,
        Item: toItem({
          roomId,
          messageId: oldId,
          senderId: samId,
          senderName: 'sam',
          senderType: 'human',
          text: 'an old message',
          clientMessageId: 'c-old',
          createdAt: new Date(Date.now() - 3_600_000).toISOString(),
          moderation: 'allowed',
          decision: 'allowed',
          reasons: [],
        }),
      }),
    );
    const before = await history(olga, roomId);

    const notMine = await sam.request('editMessage', { roomId, messageId: olgas, text: 'mine now' });
    const held = await sam.request('editMessage', { roomId, messageId: quarantined, text: 'nothing to see' });
    const late = await sam.request('editMessage', { roomId, messageId: oldId, text: 'rewritten' });

    expect(notMine).toMatchObject({ type: 'error', code: 'FORBIDDEN', action: 'editMessage' });
    expect(held).toMatchObject({ type: 'error', code: 'CONFLICT' });
    expect(late).toMatchObject({ type: 'error', code: 'CONFLICT' });
    expect(await history(olga, roomId)).toEqual(before);
    expect(olga.frames.filter(isIn(roomId, 'messageUpdated'))).toEqual([]);
  });

  it('moderates an edit like a send, and lets a moderator read the text members saw before it', async () => {
    const olga = await parley.connect('olga-2');
    const mia = await parley.connect('mia');
    const { roomId } = await roomOf(olga, mia, 'moderated edits');
    const messageId = await send(mia, roomId, 'ask me anything');

    await mia.ok('editMessage', { roomId, messageId, text: 'write to mia@example.com' });

    const updated = await olga.waitFor(isIn(roomId, 'messageUpdated'));
    expect(messageOf(updated)).toMatchObject({ text: 'write to [email]', moderation: 'redacted' });
    expect(JSON.stringify(olga.frames)).not.toContain('mia@example.com');
    const original = await olga.ok<{ text: string; previousText: string }>('getOriginalMessage', { roomId, messageId });
    expect(original).toMatchObject({ text: 'write to mia@example.com', previousText: 'ask me anything' });
    const refused = await mia.request('getOriginalMessage', { roomId, messageId });
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });

    // An edit moderation blocks is withheld from plain members, as a blocked send would be.
    const ned = await parley.connect('ned');
    await ned.ok('joinRoom', { roomId });
    await olga.ok('setModerationSettings', { roomId, settings: { profanity: { action: 'block' } } });
    const clean = await send(mia, roomId, 'all good here');
    await ned.waitFor((f) => isIn(roomId, 'message')(f) && messageOf(f).messageId === clean);

    const blocked = await mia.ok<{ moderation: string }>('editMessage', { roomId, messageId: clean, text: 'this is bullshit' });

    expect(blocked.moderation).toBe('blocked');
    expect(await ned.waitFor(isIn(roomId, 'messageRemoved'))).toMatchObject({ messageId: clean });
    const flagged = await olga.waitFor((f) => isIn(roomId, 'messageUpdated')(f) && messageOf(f).messageId === clean);
    expect(messageOf(flagged)).toMatchObject({ moderation: 'blocked' });
    expect((await history(ned, roomId)).map((m) => m.messageId)).not.toContain(clean);
  });

  it('lets a sender delete their message: gone for the others, from history and from memory', async () => {
    const tom = await parley.connect('tom');
    const uma = await parley.connect('uma');
    const { roomId } = await roomOf(tom, uma, 'deletions');
    const kept = await send(uma, roomId, 'this one stays');
    const gone = await send(uma, roomId, 'this one goes');
    await until(
      async () => (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).length,
      (count) => count === 2,
    );

    await uma.ok('deleteMessage', { roomId, messageId: gone });

    const removed = await tom.waitFor(isIn(roomId, 'messageRemoved'));
    expect(removed).toMatchObject({ messageId: gone });
    expect((await history(tom, roomId)).map((m) => m.messageId)).toEqual([kept]);
    const remembered = await until(
      async () => (await memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY)).map((m) => m.text),
      (texts) => texts.length === 1,
    );
    expect(remembered).toEqual(['this one stays']);
    const refused = await tom.request('editMessage', { roomId, messageId: gone, text: 'back again' });
    expect(refused).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
  });

  it('has a mentioned agent answer from the stored mentions once, and not again when the message is edited', async () => {
    const pia = await parley.connect('pia');
    const { room } = await pia.ok<{ room: { roomId: string } }>('createRoom', { name: 'with an agent' });
    const roomId = room.roomId;
    await pia.ok('addAgent', { roomId, agent: { handle: '@scout', displayName: 'Scout' } });
    const isDone = (f: Frame) => f.type === 'agentDone' && f['roomId'] === roomId;
    const triggerOf = (f: Frame) => (f['message'] as { agent: { triggerMessageId: string } }).agent.triggerMessageId;

    const asked = await send(pia, roomId, '@scout what is the plan?');
    const sent = await pia.waitFor((f) => isIn(roomId, 'message')(f) && messageOf(f).messageId === asked);
    expect(messageOf(sent).mentions).toEqual([{ kind: 'agent', id: 'scout' }]);
    await pia.waitFor(isDone, 20_000);
    await pia.ok('editMessage', { roomId, messageId: asked, text: '@scout what is the plan for Friday?' });
    await pia.waitFor(isIn(roomId, 'messageUpdated'));

    // A later question is answered: had the edit been dispatched, its reply would have come first.
    const again = await send(pia, roomId, '@scout and after that?');
    await pia.waitForCount(isDone, 2, 20_000);

    expect(pia.frames.filter(isDone).map(triggerOf)).toEqual([asked, again]);
  });
});
