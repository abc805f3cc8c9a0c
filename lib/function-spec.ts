import type { Duration } from 'aws-cdk-lib';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Action } from '../lambdas/domain/protocol';
import { ENV } from '../lambdas/wiring/env';
import type { ParleyConfig } from './config';
import type { ParleyFunction } from './constructs/parley-function';
import type { ParleyData } from './stateful-stack';

/** A WebSocket route key: one of the protocol's actions or a built-in route. */
export type RouteKey = Action | '$connect' | '$disconnect' | '$default';

/** One HTTP API route of a function. */
export interface HttpRouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
}

/** What a function row's bind() may use: the stateful resources, the API and its stage, the configuration. */
export interface BindContext {
  readonly data: ParleyData;
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly config: ParleyConfig;
}

/**
 * One row of the function table: a handler, the routes it serves and all it
 * may touch. Each feature lists its rows in lib/<feature>-functions.ts; the
 * realtime stack builds a function per row.
 */
export interface FunctionSpec {
  /** Construct id (PascalCase). */
  readonly id: string;
  /** File in lambdas/handlers, without extension. */
  readonly handlerFile: string;
  readonly description: string;
  readonly routes: readonly RouteKey[];
  /**
   * Routes of the HTTP API it serves (Lambda proxy, payload format 2.0),
   * e.g. `{ method: 'GET', path: '/v1/rooms/{roomId}/messages' }`; each also
   * has its row in HTTP_ROUTES (lambdas/domain/http-protocol.ts).
   */
  readonly httpRoutes?: readonly HttpRouteSpec[];
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** Every grant and environment variable of the function. */
  readonly bind: (fn: ParleyFunction, context: BindContext) => void;
}

/**
 * Verifying users' ID tokens: the issuer and audience to trust (the user
 * pool and its client, or the configuration's jwtIssuer/jwtAudience), and
 * the key set when it is not at `<issuer>/.well-known/jwks.json`. The
 * WebSocket authorizer and every HTTP API function that takes user tokens
 * bind it.
 */
export function bindIdTokenVerification(fn: ParleyFunction, { data, config }: BindContext): void {
  const { userPool, userPoolClient } = data;
  // Without a user pool (the localstack profile), the configuration names the issuer; lib/config.ts checks that.
  const issuer = config.jwtIssuer ?? (userPool === undefined ? undefined : `https://${userPool.userPoolProviderName}`);
  const audience = config.jwtAudience ?? userPoolClient?.userPoolClientId;
  if (issuer === undefined || audience === undefined) throw new Error('No user pool and no jwtIssuer/jwtAudience to trust.');
  fn.bindTokenVerification({
    issuer,
    audience,
    ...(config.jwksUri === undefined ? {} : { jwksUri: config.jwksUri }),
  });
}

/**
 * What a function serving `change` actions needs to spend the user's action
 * budget at the edge (lambdas/shared/ws-action.ts): UpdateItem on the
 * connections table, where the budget's GCRA state lives, and the limits.
 * The realtime stack applies it to every row whose routes include one, so
 * no changing action can be routed to a function without it.
 */
export function bindActionBudget(fn: ParleyFunction, { data, config }: BindContext): void {
  fn.bindConnectionsTable(data.connectionsTable, { actions: ['UpdateItem'] });
  fn.setEnvironment({
    [ENV.actionRateLimitPerSecond]: config.actionRateLimitPerSecond,
    [ENV.actionRateLimitBurst]: config.actionRateLimitBurst,
  });
}
