import { NotFoundError } from '../../../domain/errors';
import { DELIVERY_PAGE_SIZE, type DeliveryAttempt } from '../../../domain/integrations/webhooks';
import type { Identity, Page } from '../../../domain/types';
import { requireRoomOwner, type WebhookManagementDeps } from './webhook-deps';

/**
 * A webhook's delivery log, newest attempt first, one page at a time (the
 * owner only): each attempt's event, status or error, duration, and when
 * the next attempt is due.
 */
export async function listWebhookDeliveries(
  deps: Pick<WebhookManagementDeps, 'rooms' | 'webhooks' | 'deliveries'>,
  identity: Identity,
  roomId: string,
  webhookId: string,
  options: { readonly cursor?: string; readonly limit?: number } = {},
): Promise<Page<DeliveryAttempt>> {
  await requireRoomOwner(deps, identity, roomId, 'manage webhooks');
  const webhooks = await deps.webhooks.list(roomId);
  if (!webhooks.some((webhook) => webhook.webhookId === webhookId)) throw new NotFoundError(`Webhook "${webhookId}" not found.`);
  return deps.deliveries.page(roomId, webhookId, {
    limit: options.limit ?? DELIVERY_PAGE_SIZE,
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
  });
}
