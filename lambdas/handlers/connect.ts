import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { reportDelivery } from '../shared/delivery-report';
import { guestRoomOf, identityOf } from '../shared/identity';
import { logger, traceHandler } from '../shared/observability';
import type { Identity } from '../domain/types';
import type { WebSocketEvent } from '../shared/ws-action';
import { connectUser } from '../use-cases/connect-user';
import { connectGuest } from '../use-cases/guests/connect-guest';
import { PermissionError } from '../domain/errors';
import { goOnline } from '../use-cases/presence/go-online';
import { auditLog, connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';
import { profileRepository } from '../wiring/people';
import { presenceRepository } from '../wiring/presence';

const deps = { rooms: roomRepository(), connections: connectionRepository(), profiles: profileRepository() };
const presenceDeps = {
  ...deps,
  gateway: connectionGateway(),
  presence: presenceRepository(),
  clock: systemClock,
};

/** The audit trail, for guests' arrivals only: built on the first guest, so members' connections need none. */
let audit: ReturnType<typeof auditLog> | undefined;
const guestAudit = () => (audit ??= auditLog());

/** A guest's token expiry (the authorizer's `expiresAt`, epoch seconds) as ISO-8601. */
const guestExpiry = (event: WebSocketEvent): string => {
  const seconds = Number((event.requestContext as { authorizer?: Record<string, unknown> }).authorizer?.['expiresAt']);
  return new Date((Number.isFinite(seconds) ? seconds : Date.now() / 1000) * 1000).toISOString();
};

/**
 * $connect: registers the connection for the user the authorizer verified,
 * subscribed to the user's rooms (a guest's: the one room its token is
 * for, refused with 403 once that room stops letting guests in), then counts it for presence (telling the
 * user's rooms when it is their first). A failure to register refuses the
 * connection (500) rather than leave a connection that would miss
 * messages; a failure of presence only is logged, and the connection stays.
 */
export const handler = middy<WebSocketEvent, APIGatewayProxyResultV2>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { connectionId, connectedAt } = event.requestContext as WebSocketEvent['requestContext'] & {
      connectedAt?: number;
    };
    logger.appendKeys({ connectionId });
    let identity: Identity;
    let roomIds: string[];
    try {
      identity = identityOf(event.requestContext);
      const guestRoomId = guestRoomOf(event.requestContext);
      ({ roomIds } =
        guestRoomId === undefined
          ? await connectUser(deps, identity, connectionId, connectedAt ?? Date.now())
          : await connectGuest({ ...deps, audit: guestAudit() }, { ...identity, roomId: guestRoomId, expiresAt: guestExpiry(event) }, connectionId, connectedAt ?? Date.now()));
      logger.info('connected', { userId: identity.userId, ...(guestRoomId !== undefined ? { guestRoomId } : {}) });
    } catch (error) {
      if (error instanceof PermissionError) {
        // The room stopped letting guests in after the token was issued.
        logger.info('connection refused', { reason: error.message });
        return { statusCode: 403 };
      }
      logger.error('connect failed', { error: error as Error });
      return { statusCode: 500 };
    }
    try {
      const outcome = await goOnline(presenceDeps, identity, connectedAt ?? Date.now(), roomIds);
      reportDelivery(outcome.delivery, { userId: identity.userId });
    } catch (error) {
      logger.error('presence failed', { userId: identity.userId, error: error as Error });
    }
    return { statusCode: 200 };
  });
