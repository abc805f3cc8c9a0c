import { DynamoWebhookStore } from '../adapters/dynamodb/webhook-store';
import { DnsHostResolver } from '../adapters/net/dns-resolver';
import { HttpWebhookSender } from '../adapters/net/webhook-sender';
import { SqsWebhookDeliveryQueue } from '../adapters/sqs/webhook-delivery-queue';
import type { TargetPolicy } from '../domain/integrations/webhook-target';
import { DEFAULT_RETRY_BASE_SECONDS, MAX_RETRY_DELAY_SECONDS, newWebhookSecret } from '../domain/integrations/webhooks';
import type { DeliverWebhookDeps } from '../use-cases/integrations/webhooks/deliver-webhook';
import type { WebhookManagementDeps } from '../use-cases/integrations/webhooks/webhook-deps';
import { auditLog, nextId, roomRepository, systemClock } from './chat';
import { dynamoDocumentClient, sqsClient } from './clients';
import { choiceEnv, INTEGRATIONS_ENV, intEnv, requireEnv, WEBHOOKS_ENV } from './env';

/**
 * Rooms' webhooks, from the variables their bindings set
 * (lib/webhook-functions.ts): the integrations table, the deliveries queue,
 * the retry base, and whether loopback targets are allowed (the local
 * runtime's functions only).
 */
export const webhookStore = () => new DynamoWebhookStore(dynamoDocumentClient(), requireEnv(INTEGRATIONS_ENV.table));

export const webhookDeliveryQueue = () => new SqsWebhookDeliveryQueue(sqsClient(), requireEnv(WEBHOOKS_ENV.deliveriesQueueUrl));

export const webhookTargetPolicy = (): TargetPolicy => ({
  allowLoopback: choiceEnv(WEBHOOKS_ENV.allowLoopback, ['true', 'false'], 'false') === 'true',
});

/** The dispatcher: the room's webhooks and the deliveries queue. */
export const dispatchWebhooksDeps = () => ({ webhooks: webhookStore(), queue: webhookDeliveryQueue() });

/** The deliverer. */
export const deliverWebhooksDeps = (): DeliverWebhookDeps & { readonly queue: SqsWebhookDeliveryQueue } => {
  const store = webhookStore();
  return {
    webhooks: store,
    deliveries: store,
    resolver: new DnsHostResolver(),
    sender: new HttpWebhookSender(),
    targetPolicy: webhookTargetPolicy(),
    clock: systemClock,
    retryBaseSeconds: intEnv(WEBHOOKS_ENV.retryBaseSeconds, DEFAULT_RETRY_BASE_SECONDS),
    retryMaxSeconds: Math.min(intEnv(WEBHOOKS_ENV.retryMaxSeconds, MAX_RETRY_DELAY_SECONDS), MAX_RETRY_DELAY_SECONDS),
    queue: webhookDeliveryQueue(),
  };
};

/** Managing a room's webhooks (the HTTP API's routes). */
export const webhookManagementDeps = (): WebhookManagementDeps => {
  const store = webhookStore();
  return {
    rooms: roomRepository(),
    webhooks: store,
    deliveries: store,
    audit: auditLog(),
    clock: systemClock,
    nextId,
    resolver: new DnsHostResolver(),
    targetPolicy: webhookTargetPolicy(),
    newSecret: () => newWebhookSecret(),
  };
};
