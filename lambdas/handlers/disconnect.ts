import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { logger, tracer } from '../shared/observability';
import type { WebSocketEvent } from '../shared/ws-action';
import { connectionRepository } from '../wiring/chat';

const connections = connectionRepository();

/**
 * $disconnect: removes the connection and its room subscriptions. API
 * Gateway delivers this at most once and not always (a dropped client may
 * only be noticed on the next post, which gets a 410 and cleans up too).
 */
export const handler = middy<WebSocketEvent, APIGatewayProxyResultV2>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { connectionId } = event.requestContext;
    logger.appendKeys({ connectionId });
    await connections.removeConnection(connectionId);
    logger.info('disconnected');
    return { statusCode: 200 };
  });
