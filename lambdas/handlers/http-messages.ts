import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { reportDelivery } from '../shared/delivery-report';
import { countModeration } from '../shared/message-metrics';
import { createHttpHandler } from '../shared/http-action';
import { metrics } from '../shared/observability';
import { getHistory, getHistoryForKey } from '../use-cases/get-history';
import { sendIntegrationMessage, sendMessage, type SendMessageResult } from '../use-cases/send-message';
import { apiKeyEdge, sendMessageDeps } from '../wiring/integrations';
import { UnauthorizedError } from '../domain/errors';

const deps = sendMessageDeps();

const reported = (result: SendMessageResult): SendMessageResult => {
  if (result.decision !== undefined) {
    metrics.addMetric('MessagesSent', MetricUnit.Count, 1);
    countModeration(result.message.senderType === 'integration' ? 'integration' : 'person', result.decision);
  }
  if (result.delivery) reportDelivery(result.delivery, { roomId: result.message.roomId, messageId: result.message.messageId });
  return result;
};

/**
 * HTTP API: a room's messages. POST sends one, from a member's token or an
 * API key with `post` (sendMessage or sendIntegrationMessage: the same
 * moderation, storage, delivery, agents and audit); 201 with the stored
 * message, 200 with the first one for a retry with its clientMessageId.
 * GET pages through the history as the socket's getHistory does.
 */
export const handler = createHttpHandler(
  {
    postMessage: async (caller, { params, body }) => {
      const request = { roomId: params.roomId, text: body.text, clientMessageId: body.clientMessageId ?? `http-${randomUUID()}` };
      if (caller.kind === 'anonymous') throw new UnauthorizedError();
      const result = reported(
        caller.kind === 'key'
          ? await sendIntegrationMessage(deps, { keyId: caller.key.keyId, name: caller.key.name }, request)
          : await sendMessage(deps, caller.identity, request),
      );
      return { status: result.duplicate ? 200 : 201, body: { message: result.message, duplicate: result.duplicate } };
    },
    getMessages: async (caller, { params, query }) => {
      const request = { roomId: params.roomId, limit: query.limit, direction: query.direction, ...(query.cursor ? { cursor: query.cursor } : {}) };
      if (caller.kind === 'anonymous') throw new UnauthorizedError();
      const page =
        caller.kind === 'key' ? await getHistoryForKey(deps, caller.key.keyId, request) : await getHistory(deps, caller.identity, request);
      return { status: 200, body: { roomId: params.roomId, ...page } };
    },
  },
  { apiKeys: apiKeyEdge() },
);
