import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { reportDelivery } from '../shared/delivery-report';
import { identityOf } from '../shared/identity';
import { logger, traceHandler } from '../shared/observability';
import type { WebSocketEvent } from '../shared/ws-action';
import { goOffline } from '../use-cases/presence/go-offline';
import { connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';
import { presenceRepository } from '../wiring/presence';

const connections = connectionRepository();
const presenceDeps = {
  rooms: roomRepository(),
  connections,
  gateway: connectionGateway(),
  presence: presenceRepository(),
  clock: systemClock,
};

/**
 * $disconnect: removes the connection and its room subscriptions, then
 * uncounts it for presence (telling the user's rooms when it was their
 * last). API Gateway delivers this at most once and not always (a dropped
 * client may only be noticed on the next post, which gets a 410 and cleans
 * up too); a count a missed $disconnect keeps up lapses with the
 * connections' TTL. The user comes from the authorizer's context, which
 * API Gateway repeats here, so presence needs no read of the connection.
 */
export const handler = middy<WebSocketEvent, APIGatewayProxyResultV2>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { connectionId, connectedAt } = event.requestContext as WebSocketEvent['requestContext'] & {
      connectedAt?: number;
    };
    logger.appendKeys({ connectionId });
    await connections.removeConnection(connectionId);
    logger.info('disconnected');
    try {
      const identity = identityOf(event.requestContext);
      const outcome = await goOffline(presenceDeps, identity, connectedAt ?? Date.now());
      reportDelivery(outcome?.delivery, { userId: identity.userId });
    } catch (error) {
      logger.error('presence failed', { error: error as Error });
    }
    return { statusCode: 200 };
  });
