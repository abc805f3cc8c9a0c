import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDialogueStore } from '../../../../lambdas/adapters/dynamodb/dialogue-store';
import { DynamoScenarioStore } from '../../../../lambdas/adapters/dynamodb/scenario-store';
import { SqsDialogueJobQueue } from '../../../../lambdas/adapters/sqs/dialogue-job-queue';
import { ConflictError } from '../../../../lambdas/domain/errors';
import { newDialogue, openingTurn } from '../../../../lambdas/domain/games/dialogue-rules';
import { exampleScenario } from '../../../../lambdas/domain/games/example-scenarios';
import { conditionalCheckFailed, documentClient, transactionCanceled } from '../../../support/dynamodb';

const TABLE = 'games';
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
afterEach(() => {
  ddb.reset();
  sqs.reset();
});

const store = () => new DynamoDialogueStore(documentClient(), TABLE);
const dialogueId = '01JZ3KB1S8P6N4M2J0H8G6E4C2';
const dialogue = newDialogue({ roomId: 'r1', dialogueId, scenario: exampleScenario('rent-negotiation')!, startedBy: 'u1', startedAt: '2026-12-07T10:00:00.000Z' });
const expiresAt = Date.parse('2026-12-07T10:00:00.000Z') / 1000 + 30 * 86_400;
const player = { dialogueId, turn: 1, playerId: 'u1', playerName: 'Bob', text: 'Hello.', clientTurnId: 't-1', at: '2026-12-07T10:00:00.000Z' };

describe('DynamoDialogueStore', () => {
  it('starts a dialogue with the room’s active marker, created only if absent, and the opening turn, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().startDialogue(dialogue, openingTurn(dialogue));

    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({ Item: { pk: 'ROOM#r1', sk: 'DIALOGUE#ACTIVE', dialogueId }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[1]!.Put!.Item).toMatchObject({ pk: 'ROOM#r1', sk: `DIALOGUE#${dialogueId}`, status: 'active', turn: 0, expiresAt });
    expect(items[2]!.Put!.Item).toMatchObject({ pk: `DIALOGUE#${dialogueId}`, sk: 'TURN#0000', turn: 0, expiresAt });
  });

  it('refuses a second dialogue when the marker exists', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None'));

    await expect(store().startDialogue(dialogue, openingTurn(dialogue))).rejects.toThrow(ConflictError);
  });

  it('begins a turn only if the dialogue is active, not ending, answered up to the turn before, with nothing pending', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().beginTurn('r1', player)).toBe('begun');

    const [put, update] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put!.Put).toMatchObject({ Item: { sk: 'TURN#0001', clientTurnId: 't-1', replies: [], changes: [] }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(update!.Update).toMatchObject({
      UpdateExpression: 'SET pendingTurn = :turn',
      ConditionExpression: expect.stringContaining('attribute_not_exists(pendingTurn) AND #turn = :previous'),
      ExpressionAttributeValues: { ':turn': 1, ':previous': 0, ':active': 'active' },
    });
  });

  it('tells a busy dialogue from a closed one when the condition fails', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'ConditionalCheckFailed'));
    ddb.on(GetCommand).resolvesOnce({ Item: { ...dialogue, pendingTurn: 1 } }).resolvesOnce({ Item: { ...dialogue, resolving: 'requested' } });

    expect(await store().beginTurn('r1', player)).toBe('busy');
    expect(await store().beginTurn('r1', player)).toBe('closed');
  });

  it('completes a turn only while it is pending, and reports a job delivered twice', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(transactionCanceled('None', 'ConditionalCheckFailed'));
    const answered = {
      turn: { dialogueId, turn: 1, replies: [{ characterId: 'landlord', name: 'Mr Okafor', text: 'Go on.' }], changes: [], at: 'now' },
      characters: dialogue.characters,
      options: dialogue.options,
      resolving: 'goal' as const,
    };

    expect(await store().completeTurn('r1', answered)).toBe(true);
    expect(await store().completeTurn('r1', answered)).toBe(false);

    const [turn, state] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(turn!.Update).toMatchObject({ Key: { pk: `DIALOGUE#${dialogueId}`, sk: 'TURN#0001' }, ExpressionAttributeValues: { ':replies': answered.turn.replies } });
    expect(state!.Update).toMatchObject({
      ConditionExpression: 'pendingTurn = :turn',
      UpdateExpression: expect.stringMatching(/resolving = :resolving REMOVE pendingTurn$/),
    });
  });

  it('marks the dialogue ending only once', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());

    expect(await store().requestResolution('r1', dialogueId, 'requested')).toBe(true);
    expect(await store().requestResolution('r1', dialogueId, 'requested')).toBe(false);
  });

  it('resolves once, freeing the room', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None'));
    const outcome = { result: 'success' as const, goalReached: true, reason: 'goal' as const, turns: 2, summary: 'Done.', finalState: dialogue.characters, resolvedAt: 'now' };

    expect(await store().resolve('r1', dialogueId, outcome)).toBe(true);
    expect(await store().resolve('r1', dialogueId, outcome)).toBe(false);

    const [update, remove] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(update!.Update).toMatchObject({ ConditionExpression: '#status = :active', ExpressionAttributeValues: { ':outcome': outcome } });
    expect(remove!.Delete).toMatchObject({ Key: { pk: 'ROOM#r1', sk: 'DIALOGUE#ACTIVE' }, ExpressionAttributeValues: { ':id': dialogueId } });
  });

  it('reads the newest turns, oldest first, without their keys', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'x', sk: 'TURN#0002', turn: 2, expiresAt: 1 }, { pk: 'x', sk: 'TURN#0001', turn: 1, expiresAt: 1 }] });

    const turns = await store().recentTurns(dialogueId, 2);

    expect(turns).toEqual([{ turn: 1 }, { turn: 2 }]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false, Limit: 2, ExpressionAttributeValues: { ':pk': `DIALOGUE#${dialogueId}`, ':prefix': 'TURN#' } });
  });

  it('finds the latest dialogue past the room’s active marker', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [{ sk: 'DIALOGUE#ACTIVE' }, { sk: `DIALOGUE#${dialogueId}` }] }).resolvesOnce({ Items: [{ sk: `DIALOGUE#${dialogueId}` }] }).resolvesOnce({ Items: [] });

    expect(await store().latestDialogueId('r1')).toBe(dialogueId);
    expect(await store().latestDialogueId('r1')).toBe(dialogueId);
    expect(await store().latestDialogueId('r1')).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false, Limit: 2, ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':prefix': 'DIALOGUE#' } });
  });

  it('reads the active dialogue’s id and a dialogue without its keys', async () => {
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'DIALOGUE#ACTIVE' } }).resolves({ Item: { dialogueId } });
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: `DIALOGUE#${dialogueId}` } }).resolves({ Item: { pk: 'ROOM#r1', sk: 'x', expiresAt, ...dialogue } });

    expect(await store().activeDialogueId('r1')).toBe(dialogueId);
    expect(await store().getDialogue('r1', dialogueId)).toEqual(dialogue);
  });
});

describe('DynamoScenarioStore', () => {
  const scenarios = () => new DynamoScenarioStore(documentClient(), TABLE);
  const scenario = exampleScenario('market-haggle')!;

  it('puts a room’s scenario and says whether it replaced one', async () => {
    ddb.on(PutCommand).resolvesOnce({}).resolvesOnce({ Attributes: { scenario } });

    expect(await scenarios().putScenario('r1', scenario, 'u1', 'now')).toBe(false);
    expect(await scenarios().putScenario('r1', scenario, 'u1', 'now')).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { pk: 'ROOM#r1', sk: 'SCENARIO#market-haggle', scenario, uploadedBy: 'u1', uploadedAt: 'now' }, ReturnValues: 'ALL_OLD' });
  });

  it('lists and gets the room’s scenarios', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ scenario }] });
    ddb.on(GetCommand).resolves({});

    expect(await scenarios().listScenarios('r1')).toEqual([scenario]);
    expect(await scenarios().getScenario('r1', 'nope')).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':prefix': 'SCENARIO#' } });
  });
});

describe('SqsDialogueJobQueue', () => {
  it('sends a job as JSON, grouped by dialogue and deduplicated on a FIFO queue', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const job = { kind: 'dialogueTurn' as const, roomId: 'r1', dialogueId, turn: 3 };

    await new SqsDialogueJobQueue(new SQSClient({}), 'https://q/standard').enqueue(job);
    await new SqsDialogueJobQueue(new SQSClient({}), 'https://q/jobs.fifo').enqueue(job);

    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: 'https://q/standard', MessageBody: JSON.stringify(job) });
    expect(sqs.commandCalls(SendMessageCommand)[1]!.args[0].input).toMatchObject({ MessageGroupId: dialogueId, MessageDeduplicationId: `turn:${dialogueId}:3` });
  });
});

describe('a room’s mode in the rooms table', () => {
  it('is stored with the room and read back, and a room without one reads as it did', async () => {
    const { DynamoRoomRepository } = await import('../../../../lambdas/adapters/dynamodb/room-repository');
    const rooms = new DynamoRoomRepository(documentClient(), 'rooms');
    const room = { roomId: 'r1', name: 'Talks', visibility: 'public' as const, ownerId: 'u1', createdAt: '2026-12-07T10:00:00.000Z', mode: 'dialogue' as const };
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolvesOnce({ Item: { pk: 'ROOM#r1', sk: 'META', ...room } }).resolvesOnce({ Item: { pk: 'ROOM#r1', sk: 'META', ...room, mode: undefined } });

    await rooms.createRoom(room, { roomId: 'r1', userId: 'u1', displayName: 'U', role: 'owner', joinedAt: room.createdAt });

    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item).toMatchObject({ mode: 'dialogue' });
    expect(await rooms.getRoom('r1')).toMatchObject({ mode: 'dialogue' });
    expect(await rooms.getRoom('r1')).not.toHaveProperty('mode');
  });
});
