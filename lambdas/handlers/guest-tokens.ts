import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { MalformedJsonError, ParleyError, RateLimitedError, ValidationError } from '../domain/errors';
import { guestTokenRequestSchema } from '../domain/guests';
import { errorFrame } from '../shared/frames';
import { logger, traceHandler } from '../shared/observability';
import { issueGuestToken, type IssueGuestTokenDeps } from '../use-cases/guests/issue-guest-token';
import { roomRepository, systemClock } from '../wiring/chat';
import { guestTokenIpLimiter, guestTokenRoomLimiter, guestTokens, guestWsUrl } from '../wiring/guests';

/** HTTP status of each client error code; anything else is 500. */
const STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

/** The widget runs on any website: the answer is readable from every origin (it carries no cookie). */
const CORS = { 'access-control-allow-origin': '*', 'content-type': 'application/json' } as const;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { ...CORS, ...headers },
  body: JSON.stringify(body),
});

const parseBody = (event: APIGatewayProxyEventV2): unknown => {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw ?? '');
  } catch (cause) {
    throw new MalformedJsonError({ cause });
  }
};

/**
 * `POST /v1/rooms/{roomId}/guest-tokens` `{ displayName, renew? }`, with no
 * authentication: a guest token for a room that lets guests in
 * (issueGuestToken). Errors answer `{ code, message }` with 400, 403, 404,
 * or 429 and Retry-After.
 */
export function guestTokenRoute(deps: IssueGuestTokenDeps, retryAfterSeconds: number) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const roomId = event.pathParameters?.['roomId'] ?? '';
    logger.appendKeys({ roomId });
    try {
      if (roomId === '' || roomId.length > 128) throw new ValidationError('A room id is required.');
      const parsed = guestTokenRequestSchema.safeParse(parseBody(event));
      if (!parsed.success) throw new ValidationError('The body must be JSON with a "displayName" string (and optionally "renew").');
      const answer = await issueGuestToken(deps, {
        roomId,
        displayName: parsed.data.displayName,
        renew: parsed.data.renew,
        sourceIp: event.requestContext.http.sourceIp,
      });
      logger.info('guest token issued', { canPost: answer.canPost, renewed: parsed.data.renew !== undefined });
      return json(201, answer);
    } catch (error) {
      const { code, message } = errorFrame(error);
      if (error instanceof ParleyError && error.exposeMessage) {
        logger.info('guest token refused', { code });
      } else {
        logger.error('guest token failed', { error: error as Error });
      }
      const status = STATUS[code] ?? 500;
      return json(status, { code, message }, error instanceof RateLimitedError ? { 'retry-after': String(retryAfterSeconds) } : {});
    }
  };
}

const deps: IssueGuestTokenDeps = {
  rooms: roomRepository(),
  tokens: guestTokens(),
  ipLimiter: guestTokenIpLimiter(),
  roomLimiter: guestTokenRoomLimiter(),
  clock: systemClock,
  wsUrl: guestWsUrl(),
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(guestTokenRoute(deps, 1));
