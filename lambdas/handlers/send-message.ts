import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ParleyError } from '../domain/errors';
import { DEFAULT_MAX_TEXT_BYTES } from '../domain/text';
import { reportDelivery } from '../shared/delivery-report';
import { countModeration, countRejection } from '../shared/message-metrics';
import { metrics } from '../shared/observability';
import { createActionHandler } from '../shared/ws-action';
import { sendMessage, type SendMessageDeps } from '../use-cases/send-message';
import { DEFAULT_EDIT_WINDOW_SECONDS } from '../domain/message-edits';
import { editMessage, type EditMessageDeps } from '../use-cases/edit-message';
import { actionRateLimiter, auditLog, connectionGateway, connectionRepository, messageRepository, nextId, rateLimiter, roomRepository, sendContextReader, systemClock } from '../wiring/chat';
import { ENV, intEnv } from '../wiring/env';
import { fanOutDeps } from '../wiring/fan-out';
import { agentRoster, extraDetectors, moderationSettings, originalTexts } from '../wiring/moderation';
import { retentionLookup } from '../wiring/retention';

const rooms = roomRepository();
const messages = messageRepository();
const connections = connectionRepository();
const gateway = connectionGateway();
const settings = moderationSettings();
const agents = agentRoster();
const detectors = extraDetectors();
const originals = originalTexts();
const maxTextBytes = intEnv(ENV.maxTextBytes, DEFAULT_MAX_TEXT_BYTES);

const deps: SendMessageDeps = {
  // The membership and the moderation settings, read together (the edit path reads them one by one).
  context: sendContextReader(),
  rooms,
  messages,
  // Each message gets the TTL its room's retention policy gives it (policies cached per instance).
  retention: retentionLookup(),
  connections,
  gateway,
  // Moderation runs before the message is stored (see sendMessage).
  settings,
  agents,
  detectors,
  originals,
  rateLimiter: rateLimiter(),
  clock: systemClock,
  nextId,
  maxTextBytes,
  // Rooms above the threshold are delivered by the fan-out workers.
  fanOut: fanOutDeps(),
};

// An edit is moderated like a send, by the same checks, so it lives with sendMessage.
const editDeps: EditMessageDeps = {
  rooms,
  messages,
  connections,
  gateway,
  settings,
  agents,
  detectors,
  originals,
  audit: auditLog(),
  clock: systemClock,
  maxTextBytes,
  editWindowSeconds: intEnv(ENV.editWindowSeconds, DEFAULT_EDIT_WINDOW_SECONDS),
};

export const handler = createActionHandler(
  {
    sendMessage: async (identity, request) => {
      const result = await sendMessage(deps, identity, request).catch((error: unknown) => {
        if (error instanceof ParleyError && error.exposeMessage) countRejection(error.code);
        throw error;
      });
      if (result.decision !== undefined) {
        metrics.addMetric('MessagesSent', MetricUnit.Count, 1);
        countModeration('person', result.decision);
      }
      if (result.delivery) {
        metrics.addMetric('MessageDeliveries', MetricUnit.Count, result.delivery.delivered);
        metrics.addMetric('MessageRecipients', MetricUnit.Count, result.delivery.recipients);
        metrics.addMetric('StaleConnectionsRemoved', MetricUnit.Count, result.delivery.gone);
        reportDelivery(result.delivery, { roomId: request.roomId, messageId: result.message.messageId });
      }
      if (result.sharded) {
        // Deliveries are counted by the fan-out worker, shard by shard.
        metrics.addMetric('MessageRecipients', MetricUnit.Count, result.sharded.recipients);
        metrics.addMetric('FanOutJobsEnqueued', MetricUnit.Count, result.sharded.jobs);
      }
      return {
        roomId: result.message.roomId,
        messageId: result.message.messageId,
        clientMessageId: request.clientMessageId,
        createdAt: result.message.createdAt,
        duplicate: result.duplicate,
      };
    },
    editMessage: async (identity, request) => {
      const result = await editMessage(editDeps, identity, request).catch((error: unknown) => {
        if (error instanceof ParleyError && error.exposeMessage) countRejection(error.code);
        throw error;
      });
      if (result.delivery) {
        metrics.addMetric('MessagesEdited', MetricUnit.Count, 1);
        countModeration('person', result.decision);
        reportDelivery(result.delivery, { roomId: request.roomId, messageId: request.messageId });
      }
      return {
        roomId: result.message.roomId,
        messageId: result.message.messageId,
        moderation: result.message.moderation,
        ...(result.message.editedAt !== undefined ? { editedAt: result.message.editedAt } : {}),
      };
    },
  },
  { actionLimiter: actionRateLimiter() },
);
