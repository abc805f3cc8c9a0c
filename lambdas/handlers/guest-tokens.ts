import { createHttpHandler, type HttpRouteHandlers } from '../shared/http-action';
import { logger } from '../shared/observability';
import { issueGuestToken, type IssueGuestTokenDeps } from '../use-cases/guests/issue-guest-token';
import { roomRepository, systemClock } from '../wiring/chat';
import { guestTokenIpLimiter, guestTokenRoomLimiter, guestTokens, guestWsUrl } from '../wiring/guests';

/**
 * `POST /v1/rooms/{roomId}/guest-tokens` `{ displayName, renew? }`, a public
 * route (no credentials): a guest token for a room that lets guests in
 * (issueGuestToken). The edge validates and answers errors as every route
 * does: 400, 403 when guests are off, 404 for a room a guest cannot see,
 * 429 with Retry-After over the address's or the room's limit.
 */
export const guestTokenRoutes = (deps: IssueGuestTokenDeps): HttpRouteHandlers => ({
  issueGuestToken: async (_caller, { params, body }, event) => {
    const answer = await issueGuestToken(deps, {
      roomId: params.roomId,
      displayName: body.displayName,
      renew: body.renew,
      sourceIp: event.requestContext.http.sourceIp,
    });
    logger.info('guest token issued', { canPost: answer.canPost, renewed: body.renew !== undefined });
    return { status: 201, body: answer };
  },
});

export const handler = createHttpHandler(
  guestTokenRoutes({
    rooms: roomRepository(),
    tokens: guestTokens(),
    ipLimiter: guestTokenIpLimiter(),
    roomLimiter: guestTokenRoomLimiter(),
    clock: systemClock,
    wsUrl: guestWsUrl(),
  }),
);
