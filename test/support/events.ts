import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { vi } from 'vitest';
import type { WebSocketEvent } from '../../lambdas/shared/ws-action';

/**
 * The environment a handler that reads Parley's tables and posts to
 * connections gets from its function, plus `extra` for its own settings.
 * Call before importing the handler: its module reads them on load.
 */
export function stubHandlerEnv(extra: Record<string, string> = {}): void {
  const env: Record<string, string> = {
    ROOMS_TABLE: 'rooms',
    MESSAGES_TABLE: 'messages',
    CONNECTIONS_TABLE: 'connections',
    WS_MANAGEMENT_ENDPOINT: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

let counter = 0;

/** A WebSocket route event shaped like API Gateway's, for handler tests. */
export function wsEvent(options: {
  body?: string | object;
  routeKey?: string;
  connectionId?: string;
  user?: { userId: string; displayName: string } | null;
  eventType?: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
}): WebSocketEvent {
  counter += 1;
  const body =
    options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const user = options.user === undefined ? { userId: 'u-alice', displayName: 'Alice' } : options.user;
  return {
    body,
    isBase64Encoded: false,
    requestContext: {
      routeKey: options.routeKey ?? '$default',
      messageId: `msg-${counter}`,
      eventType: options.eventType ?? 'MESSAGE',
      extendedRequestId: `ext-${counter}`,
      requestTime: '21/Nov/2026:12:00:00 +0000',
      messageDirection: 'IN',
      stage: 'prod',
      connectedAt: Date.UTC(2026, 10, 21, 12),
      requestTimeEpoch: Date.UTC(2026, 10, 21, 12),
      requestId: `req-${counter}`,
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      connectionId: options.connectionId ?? 'conn-1',
      apiId: 'abc123',
      ...(user ? { authorizer: { principalId: user.userId, ...user } } : {}),
    } as WebSocketEvent['requestContext'],
  } as WebSocketEvent;
}

/** A $connect REQUEST authorizer event. */
export function authorizerEvent(token?: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect',
    headers: {},
    multiValueHeaders: {},
    pathParameters: {},
    stageVariables: {},
    multiValueQueryStringParameters: token ? { token: [token] } : {},
    queryStringParameters: token ? { token } : {},
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
    httpMethod: 'GET',
    path: '/',
    resource: '/',
  } as APIGatewayRequestAuthorizerEvent;
}

/** Lambda's context object, enough for Powertools middleware. */
export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'parley-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:parley-test',
  memoryLimitInMB: '256',
  awsRequestId: 'aws-req-1',
  logGroupName: '/aws/lambda/parley-test',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
