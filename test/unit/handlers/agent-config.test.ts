import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (typeof import('../../../lambdas/handlers/agents'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv({
    AUDIT_TABLE: 'audit',
    AGENT_MODEL_IDS: 'amazon.nova-micro-v1:0,amazon.nova-lite-v1:0',
    AGENT_DEFAULT_MODEL_ID: 'amazon.nova-micro-v1:0',
    AGENT_JOBS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/jobs.fifo',
  });
  ({ handler } = await import('../../../lambdas/handlers/agents'));
});

const member = (userId: string, role: string) => ({ pk: 'ROOM#r1', sk: `MEMBER#${userId}`, roomId: 'r1', userId, displayName: userId, role, joinedAt: '2026-11-21T09:00:00.000Z' });

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: member('u-alice', 'owner') });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-bob' } }).resolves({ Item: member('u-bob', 'member') });
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [] });
});

afterEach(() => {
  ddb.reset();
});

const listAgents = async (userId: string) => {
  const event = wsEvent({ body: { action: 'listAgents', roomId: 'r1', requestId: 'q1', limit: 1 }, routeKey: 'listAgents', user: { userId, displayName: userId } });
  const result = (await handler(event, lambdaContext)) as { body: string };
  return JSON.parse(result.body) as { type: string; data: Record<string, unknown> };
};

describe('agents handler: listAgents', () => {
  it('acks an owner with the models the deployment allows and its default, from the function’s environment', async () => {
    const frame = await listAgents('u-alice');

    expect(frame).toMatchObject({ type: 'ack', data: { roomId: 'r1', agents: [] } });
    expect(frame.data['models']).toEqual({ allowed: ['amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0'], default: 'amazon.nova-micro-v1:0' });
  });

  it('acks a member without them', async () => {
    const frame = await listAgents('u-bob');

    expect(frame.type).toBe('ack');
    expect(frame.data).not.toHaveProperty('models');
  });
});
