import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyWebsocketEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  MalformedJsonError,
  ParleyError,
  RateLimitedError,
  ResponseTooLargeError,
  UnknownActionError,
  ValidationError,
} from '../domain/errors';
import { MAX_FRAME_BYTES, utf8Bytes } from '../domain/frame-budget';
import type { RateLimiter } from '../domain/ports';
import { requestSchemas, spendsActionBudget, type Action, type RequestOf } from '../domain/protocol';
import type { Identity } from '../domain/types';
import { errorFrame } from './frames';
import { assertGuestMay } from '../domain/guests';
import { assertSessionLive, guestRoomOf, identityOf } from './identity';
import { logger, metrics, traceHandler } from './observability';

export type WebSocketEvent = APIGatewayProxyWebsocketEventV2;
export type WebSocketResult = { statusCode: number; body: string };

export type ActionHandlers = {
  [A in Action]?: (identity: Identity, request: RequestOf<A>, event: WebSocketEvent) => Promise<unknown>;
};

export interface ActionEdgeOptions {
  /**
   * The per-user budget that every `change` action spends before it runs
   * (protocol.ts: ACTION_ADMISSION). Required when the handlers serve one.
   */
  readonly actionLimiter?: RateLimiter;
}

/** The rate-limit key of a user's action budget, apart from their message budget (keyed by user id alone). */
export const actionBudgetKey = (userId: string): string => `actions#${userId}`;

/** Throws at cold start when a function serves `change` actions with no budget to spend: no action goes unlimited. */
function assertBudgeted(handlers: ActionHandlers, options: ActionEdgeOptions): void {
  const unbudgeted = Object.keys(handlers).filter(spendsActionBudget);
  if (unbudgeted.length > 0 && options.actionLimiter === undefined) {
    throw new Error(`Actions ${unbudgeted.join(', ')} change state but no action rate limiter was given.`);
  }
}

const parseBody = (body: string | undefined): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch (cause) {
    throw new MalformedJsonError({ cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ValidationError('A frame must be a JSON object with an "action" field.');
  }
  return parsed as Record<string, unknown>;
};

const describeIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string =>
  issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');

/**
 * Refuses any frame on a connection whose session has expired, then parses
 * it, validates it against its action's schema, runs the action
 * and turns the outcome into the frame sent back on the same connection (a
 * two-way route response): an ack with the result, or an error frame. Bad
 * input never reaches a use case, and a failure never crashes the function.
 */
export async function dispatch(
  handlers: ActionHandlers,
  event: WebSocketEvent,
  options: ActionEdgeOptions = {},
): Promise<WebSocketResult> {
  const started = Date.now();
  let requestId: string | undefined;
  let action: string | undefined;
  try {
    let body: Record<string, unknown> | undefined;
    let unreadable: unknown;
    try {
      body = parseBody(event.body);
    } catch (error) {
      unreadable = error;
    }
    if (typeof body?.['requestId'] === 'string') requestId = body['requestId'].slice(0, 128);
    if (typeof body?.['action'] === 'string') action = body['action'].slice(0, 64);
    // An expired session is the first thing a client must hear, whatever it
    // sent: fixing the frame would only meet SESSION_EXPIRED next.
    assertSessionLive(event.requestContext, Date.now());
    if (body === undefined) throw unreadable;
    const run = action !== undefined && Object.hasOwn(handlers, action) ? handlers[action as Action] : undefined;
    if (!run || action === undefined) throw new UnknownActionError(body['action']);
    const parsed = requestSchemas[action as Action].safeParse(body);
    if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues));
    const identity = identityOf(event.requestContext);
    logger.appendKeys({ userId: identity.userId });
    // A guest connection reaches its one room, and only through the few actions guests have.
    const guestRoomId = guestRoomOf(event.requestContext);
    if (guestRoomId !== undefined) assertGuestMay(guestRoomId, action, (parsed.data as { roomId?: unknown }).roomId);
    // Validated first, so a malformed request costs no budget; spent before
    // the use case, so a refused one has changed nothing.
    if (spendsActionBudget(action)) {
      const limiter = options.actionLimiter;
      if (limiter === undefined) throw new Error(`No action rate limiter for "${action}".`);
      if (!(await limiter.tryAcquire(actionBudgetKey(identity.userId)))) {
        throw new RateLimitedError('Too many changes at once; slow down and retry shortly.');
      }
    }
    const data = await (run as (i: Identity, r: unknown, e: WebSocketEvent) => Promise<unknown>)(
      identity,
      parsed.data,
      event,
    );
    const ack = JSON.stringify({ type: 'ack', action, requestId, data });
    // API Gateway would drop an answer over its message limit without a word to the client.
    const bytes = utf8Bytes(ack);
    if (bytes > MAX_FRAME_BYTES) {
      logger.error('response too large', { action, bytes, maxBytes: MAX_FRAME_BYTES });
      throw new ResponseTooLargeError(bytes, MAX_FRAME_BYTES);
    }
    metrics.addMetric('RequestSucceeded', MetricUnit.Count, 1);
    logger.info('request handled', { action, outcome: 'ack', durationMs: Date.now() - started });
    return { statusCode: 200, body: ack };
  } catch (error) {
    const frame = errorFrame(error, requestId, action);
    if (error instanceof ParleyError && error.exposeMessage) {
      metrics.addMetric('RequestRejected', MetricUnit.Count, 1);
      logger.info('request rejected', { action, code: frame.code, durationMs: Date.now() - started });
    } else {
      metrics.addMetric('RequestFailed', MetricUnit.Count, 1);
      logger.error('request failed', { action, durationMs: Date.now() - started, error: error as Error });
    }
    return { statusCode: 200, body: JSON.stringify(frame) };
  }
}

/** A Lambda handler for WebSocket action routes, with Powertools middleware. */
export function createActionHandler(handlers: ActionHandlers, options: ActionEdgeOptions = {}) {
  assertBudgeted(handlers, options);
  return middy<WebSocketEvent, APIGatewayProxyResultV2>()
    .use(traceHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      logger.appendKeys({
        connectionId: event.requestContext.connectionId,
        routeKey: event.requestContext.routeKey,
      });
      return dispatch(handlers, event, options);
    });
}
