import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (typeof import('../../../lambdas/handlers/default'))['handler'];
let handler: Handler;

beforeAll(async () => {
  stubHandlerEnv();
  ({ handler } = await import('../../../lambdas/handlers/default'));
});

afterEach(() => {
  ddb.reset();
});

const invoke = async (body: unknown, routeKey: string) => {
  const result = (await handler(wsEvent({ body: body as object | string, routeKey }), lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};

describe('default handler: ping', () => {
  it('answers a ping with a pong ack and no table request', async () => {
    const frame = await invoke({ action: 'ping', requestId: 'p1' }, 'ping');

    expect(frame).toEqual({ type: 'ack', action: 'ping', requestId: 'p1', data: {} });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a ping whose requestId is not a string, with a clear error', async () => {
    const frame = await invoke({ action: 'ping', requestId: 42 }, 'ping');

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', action: 'ping' });
    expect(frame['message']).toMatch(/requestId/);
  });
});

describe('default handler: unknown frames', () => {
  it('answers an action no route serves with UNKNOWN_ACTION', async () => {
    const frame = await invoke({ action: 'dance', requestId: 'd1' }, '$default');

    expect(frame).toMatchObject({ type: 'error', code: 'UNKNOWN_ACTION', requestId: 'd1' });
  });

  it('answers a frame that is not JSON with MALFORMED_JSON', async () => {
    const frame = await invoke('{"action":', '$default');

    expect(frame).toMatchObject({ type: 'error', code: 'MALFORMED_JSON' });
  });
});
