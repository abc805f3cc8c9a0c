import { NotFoundError } from '../../../domain/errors';
import type { Identity } from '../../../domain/types';
import { requireRoomOwner, type WebhookManagementDeps } from './webhook-deps';

/**
 * Deletes a room's webhook (the owner only). Deliveries already queued for
 * it are dropped when they find it gone; its delivery log expires on its own.
 */
export async function deleteWebhook(
  deps: Pick<WebhookManagementDeps, 'rooms' | 'webhooks' | 'audit' | 'clock'>,
  identity: Identity,
  roomId: string,
  webhookId: string,
): Promise<void> {
  await requireRoomOwner(deps, identity, roomId, 'manage webhooks');
  const deleted = await deps.webhooks.delete(roomId, webhookId);
  if (!deleted) throw new NotFoundError(`Webhook "${webhookId}" not found.`);
  const at = new Date(deps.clock.now()).toISOString();
  await deps.audit.record({
    roomId,
    idempotencyKey: `webhook.deleted:${webhookId}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'webhook.deleted',
    target: { type: 'webhook', id: webhookId },
  });
}
