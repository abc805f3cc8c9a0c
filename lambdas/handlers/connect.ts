import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { identityOf } from '../shared/identity';
import { logger, tracer } from '../shared/observability';
import type { WebSocketEvent } from '../shared/ws-action';
import { connectUser } from '../use-cases/connect-user';
import { connectionRepository, roomRepository } from '../wiring/chat';
import { profileRepository } from '../wiring/people';

const deps = { rooms: roomRepository(), connections: connectionRepository(), profiles: profileRepository() };

/**
 * $connect: registers the connection for the user the authorizer verified,
 * subscribed to the user's rooms. A failure refuses the connection (500)
 * rather than leave a connection that would miss messages.
 */
export const handler = middy<WebSocketEvent, APIGatewayProxyResultV2>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { connectionId, connectedAt } = event.requestContext as WebSocketEvent['requestContext'] & {
      connectedAt?: number;
    };
    logger.appendKeys({ connectionId });
    try {
      const identity = identityOf(event.requestContext);
      await connectUser(deps, identity, connectionId, connectedAt ?? Date.now());
      logger.info('connected', { userId: identity.userId });
      return { statusCode: 200 };
    } catch (error) {
      logger.error('connect failed', { error: error as Error });
      return { statusCode: 500 };
    }
  });
