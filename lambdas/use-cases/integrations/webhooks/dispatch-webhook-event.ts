import type { DomainEvent } from '../../../domain/events/domain-events';
import { type DeliveryJob, type DeliveryQueue, subscribes, type WebhookStore } from '../../../domain/integrations/webhooks';

/**
 * Turns one domain event into a delivery job for each of its room's active
 * webhooks that subscribes to its type. One Query of the room's webhooks,
 * one batch send; a room without webhooks costs the Query only.
 */
export async function dispatchWebhookEvent(
  deps: { readonly webhooks: Pick<WebhookStore, 'list'>; readonly queue: DeliveryQueue },
  event: DomainEvent,
): Promise<number> {
  const webhooks = await deps.webhooks.list(event.roomId);
  const jobs: DeliveryJob[] = webhooks
    .filter((webhook) => subscribes(webhook, event.type))
    .map((webhook) => ({ roomId: event.roomId, webhookId: webhook.webhookId, event }));
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  return jobs.length;
}
