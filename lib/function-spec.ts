import type { Duration } from 'aws-cdk-lib';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Action } from '../lambdas/domain/protocol';
import { ENV } from '../lambdas/wiring/env';
import type { ParleyConfig } from './config';
import type { ParleyFunction } from './constructs/parley-function';
import type { ParleyData } from './stateful-stack';

/** A WebSocket route key: one of the protocol's actions or a built-in route. */
export type RouteKey = Action | '$connect' | '$disconnect' | '$default';

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
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** Every grant and environment variable of the function. */
  readonly bind: (fn: ParleyFunction, context: BindContext) => void;
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
