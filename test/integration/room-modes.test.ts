import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gamesKeys } from '../../lambdas/adapters/dynamodb/games-schema';
import { ROOM_MODE_NOTICES } from '../../lambdas/domain/games/modes';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { until } from '../support/wait';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const BUS = 'Parley-local';

type Room = { roomId: string; name: string; mode?: string };
type BusEvent = { 'detail-type': string; detail: { roomId: string; data: Record<string, unknown> } };

/**
 * Room modes through Parley's front door: rooms made in each mode over real
 * WebSockets, and what a person who has not joined sees of them (the preview,
 * the directory, an invitation) before deciding to join; room.created on the
 * bus; and a deleted game room's data purged by the room-purge worker.
 */
describe('room modes on the local runtime', () => {
  let parley: LocalParleyProcess;
  let sqs: SQSClient;
  let queueUrl: string;
  const received: BusEvent[] = [];

  beforeAll(async () => {
    parley = await startLocalParley();
    const endpoint = parley.services.find((service) => service.name === 'EventBridge')?.url;
    if (endpoint === undefined) throw new Error('The runtime lists no EventBridge endpoint.');
    const events = new EventBridgeClient({ endpoint, region: parley.region, credentials: CREDENTIALS });
    sqs = new SQSClient({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'room-modes-subscriber' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const pattern = { source: ['parley'], 'detail-type': ['room.created'] };
    await events.send(new PutRuleCommand({ Name: 'room-modes', EventBusName: BUS, EventPattern: JSON.stringify(pattern) }));
    await events.send(new PutTargetsCommand({ Rule: 'room-modes', EventBusName: BUS, Targets: [{ Id: 'queue', Arn: Attributes!['QueueArn']! }] }));
  });

  afterAll(async () => {
    await parley?.stop();
  });

  const drain = async (): Promise<BusEvent[]> => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    received.push(...Messages.map((m) => JSON.parse(m.Body!) as BusEvent));
    if (Messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
    return received;
  };
  const createdEventOf = async (roomId: string): Promise<BusEvent> => {
    const isIt = (event: BusEvent) => event.detail.roomId === roomId;
    return (await until(drain, (events) => events.some(isIt), 60_000)).find(isIt)!;
  };
  const create = async (client: TestClient, name: string, fields: Record<string, unknown>) =>
    (await client.ok<{ room: Room }>('createRoom', { name, ...fields })).room;
  const userIdOf = async (client: TestClient) => (await client.ok<{ profile: { userId: string } }>('whoami')).profile.userId;

  it('makes a room in each mode and tells its owner the mode in the ack and in roomAdded', async () => {
    const alice = await parley.connect('alice');

    const chat = await create(alice, 'Modes chat', { visibility: 'public' });
    const imposter = await create(alice, 'Modes imposter', { visibility: 'public', mode: 'imposter' });
    const dialogue = await create(alice, 'Modes dialogue', { visibility: 'public', mode: 'dialogue' });

    expect(chat).not.toHaveProperty('mode');
    expect(imposter.mode).toBe('imposter');
    expect(dialogue.mode).toBe('dialogue');
    const added = await alice.waitFor((f) => f.type === 'roomAdded' && (f['room'] as Room).roomId === imposter.roomId);
    expect(added['room']).toMatchObject({ mode: 'imposter' });
  });

  it('refuses a mode that does not exist, and changes nothing', async () => {
    const alice = await parley.connect('alice');

    const refused = await alice.request('createRoom', { name: 'Modes poker', visibility: 'public', mode: 'poker' });

    expect(refused).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    const found = await alice.ok<{ rooms: Room[] }>('searchRooms', { query: 'modes poker' });
    expect(found.rooms).toEqual([]);
  });

  it('shows a second person the mode and its notice in the directory and the preview, before they join', async () => {
    const alice = await parley.connect('alice');
    const bob = await parley.connect('bob');
    const game = await create(alice, 'Whodunit table', { visibility: 'public', mode: 'imposter' });
    await create(alice, 'Whodunit chat', { visibility: 'public' });

    const found = await bob.ok<{ rooms: Room[]; modeNotices?: Record<string, string> }>('searchRooms', { query: 'whodunit' });
    const preview = await bob.ok<{ status: string; room: Room; modeNotice?: string }>('getRoom', { roomId: game.roomId });

    expect(found.rooms.map((r) => [r.name, r.mode])).toEqual([
      ['Whodunit chat', undefined],
      ['Whodunit table', 'imposter'],
    ]);
    expect(found.modeNotices).toEqual({ imposter: ROOM_MODE_NOTICES.imposter });
    expect(preview).toMatchObject({ status: 'preview', room: { mode: 'imposter' }, modeNotice: ROOM_MODE_NOTICES.imposter });
  });

  it('tells an invitee to a private game room its mode, live and in the list, though they cannot preview it', async () => {
    const alice = await parley.connect('alice');
    const carol = await parley.connect('carol');
    const carolId = await userIdOf(carol);
    const game = await create(alice, 'Back room talk', { visibility: 'private', mode: 'dialogue' });

    await alice.ok('inviteMember', { roomId: game.roomId, userId: carolId });

    const live = await carol.waitFor((f: Frame) => f.type === 'invitation' && (f['invitation'] as { roomId: string }).roomId === game.roomId);
    expect(live['invitation']).toMatchObject({ roomName: 'Back room talk', roomMode: 'dialogue' });
    const listed = await carol.ok<{ invitations: Array<{ roomId: string; roomMode?: string }> }>('listInvitations');
    expect(listed.invitations.find((i) => i.roomId === game.roomId)?.roomMode).toBe('dialogue');
    expect(await carol.request('getRoom', { roomId: game.roomId })).toMatchObject({ type: 'error', code: 'NOT_FOUND' });

    await carol.ok('acceptInvitation', { roomId: game.roomId });
    const mine = await carol.ok<{ rooms: Room[] }>('listRooms');
    expect(mine.rooms.find((r) => r.roomId === game.roomId)?.mode).toBe('dialogue');
  });

  it('keeps a room’s mode: updateRoom has no mode, alone it is refused and beside a change it is ignored', async () => {
    const alice = await parley.connect('alice');
    const game = await create(alice, 'Fixed game', { visibility: 'public', mode: 'imposter' });

    const alone = await alice.request('updateRoom', { roomId: game.roomId, mode: 'chat' });
    const beside = await alice.ok<{ room: Room; changed: string[] }>('updateRoom', { roomId: game.roomId, topic: 'Rounds at nine', mode: 'chat' });

    expect(alone).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(beside).toMatchObject({ room: { mode: 'imposter', topic: 'Rounds at nine' }, changed: ['topic'] });
    expect((await alice.ok<{ room: Room }>('getRoom', { roomId: game.roomId })).room.mode).toBe('imposter');
  });

  it('publishes room.created with the mode of a game room, and none for a chat room', { timeout: 120_000 }, async () => {
    const alice = await parley.connect('alice');
    const game = await create(alice, 'Evented game', { visibility: 'public', mode: 'imposter' });
    const chat = await create(alice, 'Evented chat', { visibility: 'public' });

    const gameEvent = await createdEventOf(game.roomId);
    const chatEvent = await createdEventOf(chat.roomId);

    expect(gameEvent.detail.data).toMatchObject({ name: 'Evented game', visibility: 'public', mode: 'imposter' });
    expect(chatEvent.detail.data).not.toHaveProperty('mode');
  });

  it('purges a deleted game room’s rounds, dialogues and leaderboard, keeping the overall leaderboard', { timeout: 180_000 }, async () => {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials: CREDENTIALS }),
    );
    const games = Object.entries(parley.tables).find(([key]) => /\/GamesTable|Games.*Table/.test(key))?.[1];
    if (games === undefined) throw new Error(`No games table among ${Object.keys(parley.tables).join(', ')}`);
    const alice = await parley.connect('alice');
    const room = await create(alice, 'Doomed game', { visibility: 'public', mode: 'imposter' });
    const [roundId, dialogueId] = [`${room.roomId}-r1`, `${room.roomId}-d1`];
    // What rounds and a dialogue leave behind, written as the games' adapters key them (games-schema.ts).
    const items = [
      { pk: gamesKeys.room(room.roomId), sk: gamesKeys.round(roundId) },
      { pk: gamesKeys.room(room.roomId), sk: gamesKeys.dialogue(dialogueId) },
      { pk: gamesKeys.room(room.roomId), sk: gamesKeys.scenario('market') },
      ...[1, 2, 3].map((n) => ({ pk: gamesKeys.roundPartition(roundId), sk: gamesKeys.line(n) })),
      { pk: gamesKeys.roundPartition(roundId), sk: gamesKeys.vote('u-bob') },
      ...[1, 2].map((n) => ({ pk: gamesKeys.dialoguePartition(dialogueId), sk: gamesKeys.turn(n) })),
      { pk: gamesKeys.roomBoard(room.roomId), sk: gamesKeys.player('u-bob'), board: gamesKeys.roomBoard(room.roomId), points: 3 },
      { pk: gamesKeys.overallBoard, sk: gamesKeys.player(`${room.roomId}-bob`), board: gamesKeys.overallBoard, points: 3 },
    ];
    await documents.send(new BatchWriteCommand({ RequestItems: { [games]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const partition = async (pk: string) =>
      (await documents.send(new QueryCommand({ TableName: games, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true })))
        .Items ?? [];
    const left = async () =>
      (
        await Promise.all(
          [gamesKeys.room(room.roomId), gamesKeys.roundPartition(roundId), gamesKeys.dialoguePartition(dialogueId), gamesKeys.roomBoard(room.roomId)].map(partition),
        )
      ).flat();

    await alice.ok('deleteRoom', { roomId: room.roomId, confirm: 'Doomed game' });

    // After the first job's delay (FIRST_JOB_DELAY_SECONDS), the worker empties every partition of the room.
    expect(await until(left, (remaining) => remaining.length === 0, 120_000)).toEqual([]);
    expect((await partition(gamesKeys.overallBoard)).map((item) => item['sk'])).toContain(gamesKeys.player(`${room.roomId}-bob`));
  });
});
