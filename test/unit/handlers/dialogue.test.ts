import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newDialogue } from '../../../lambdas/domain/games/dialogue-rules';
import { exampleScenario } from '../../../lambdas/domain/games/example-scenarios';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const bedrock = mockClient(BedrockRuntimeClient);
const management = mockClient(ApiGatewayManagementApiClient);

type Handler = (typeof import('../../../lambdas/handlers/dialogue'))['handler'];
type Worker = (typeof import('../../../lambdas/handlers/dialogue-worker'))['handler'];
let handler: Handler;
let worker: Worker;

const dialogueId = '01JZ3KB1S8P6N4M2J0H8G6E4C2';
const roomItem = (roomId: string, mode?: string) => ({
  pk: `ROOM#${roomId}`,
  sk: 'META',
  roomId,
  name: roomId,
  visibility: 'public',
  ownerId: 'u-bob',
  createdAt: '2026-11-21T09:00:00.000Z',
  ...(mode ? { mode } : {}),
});
const memberItem = (roomId: string) => ({ pk: `ROOM#${roomId}`, sk: 'MEMBER#u-alice', roomId, userId: 'u-alice', displayName: 'Alice', role: 'member', joinedAt: '2026-11-21T10:00:00.000Z' });

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit', GAMES_TABLE: 'games', DIALOGUE_JOBS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/dialogue-jobs' });
  ({ handler } = await import('../../../lambdas/handlers/dialogue'));
  ({ handler: worker } = await import('../../../lambdas/handlers/dialogue-worker'));
});

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  for (const [roomId, mode] of [['talks', 'dialogue'], ['lobby', undefined]] as const) {
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: `ROOM#${roomId}`, sk: 'META' } }).resolves({ Item: roomItem(roomId, mode) });
    ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: `ROOM#${roomId}`, sk: 'MEMBER#u-alice' } }).resolves({ Item: memberItem(roomId) });
  }
  ddb.on(UpdateCommand, { TableName: 'connections' }).resolves({ Attributes: { tokens: 10 } });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-bob', userId: 'u-bob' }] });
  ddb.on(PutCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  bedrock.reset();
  management.reset();
});

const invoke = async (body: Record<string, unknown>) => {
  const result = (await handler(wsEvent({ body, routeKey: String(body['action']) }), lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('dialogue handler', () => {
  it('lists the example scenarios to a member of a dialogue room', async () => {
    const frame = await invoke({ action: 'listScenarios', requestId: 'q1', roomId: 'talks' });

    expect(frame).toMatchObject({ type: 'ack', action: 'listScenarios', data: { scenarios: expect.arrayContaining([expect.objectContaining({ id: 'rent-negotiation', source: 'example' })]) } });
  });

  it('refuses a dialogue in a chat room with CONFLICT, writing nothing', async () => {
    const frame = await invoke({ action: 'startDialogue', requestId: 'q1', roomId: 'lobby', scenarioId: 'rent-negotiation' });

    expect(frame).toMatchObject({ type: 'error', code: 'CONFLICT', message: expect.stringContaining('chat room') });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses a turn with neither an option nor a line with BAD_REQUEST, queueing nothing', async () => {
    const frame = await invoke({ action: 'takeDialogueTurn', requestId: 'q1', roomId: 'talks', dialogueId, clientTurnId: 't1' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('refuses a malformed option id at the edge', async () => {
    const frame = await invoke({ action: 'takeDialogueTurn', requestId: 'q1', roomId: 'talks', dialogueId, clientTurnId: 't1', optionId: 'x1' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', message: expect.stringContaining('optionId') });
  });
});

describe('dialogue worker', () => {
  const record = (body: string, messageId = 'm1') => ({ messageId, body }) as SQSEvent['Records'][number];

  it('reports an unreadable job as failed, so it is retried and dead-lettered', async () => {
    const result = await worker({ Records: [record('{"kind":"nope"}')] }, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('resolves with the fallback outcome when the model cannot answer, and tells the room', async () => {
    const dialogue = { ...newDialogue({ roomId: 'talks', dialogueId, scenario: exampleScenario('rent-negotiation')!, startedBy: 'u-alice', startedAt: '2026-12-07T10:00:00.000Z' }), resolving: 'requested' };
    ddb.on(GetCommand, { TableName: 'games', Key: { pk: 'ROOM#talks', sk: `DIALOGUE#${dialogueId}` } }).resolves({ Item: dialogue });
    bedrock.on(ConverseStreamCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    const result = await worker({ Records: [record(JSON.stringify({ kind: 'dialogueResolve', roomId: 'talks', dialogueId, reason: 'requested' }))] }, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(bedrock.commandCalls(ConverseStreamCommand)).toHaveLength(2);
    expect(bedrock.commandCalls(ConverseStreamCommand)[0]!.args[0].input.toolConfig).toMatchObject({ toolChoice: { tool: { name: 'dialogue_resolution' } } });
    const [update] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(update!.Update!.ExpressionAttributeValues![':outcome']).toMatchObject({ result: 'failure', reason: 'requested', turns: 0 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit', Item: expect.objectContaining({ action: 'dialogue.resolved' }) });
    const posted = JSON.parse(String(management.commandCalls(PostToConnectionCommand)[0]!.args[0].input.Data));
    expect(posted).toMatchObject({ type: 'dialogueResolved', outcome: { result: 'failure' } });
  });
});
