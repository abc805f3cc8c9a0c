import { NotFoundError } from '../../../domain/errors';
import type { Identity } from '../../../domain/types';
import { requireRoomOwner, type WebhookManagementDeps } from './webhook-deps';

/**
 * Gives a webhook a new signing secret and returns it (the owner only): the
 * old one stops signing at once, so the receiver should accept both while it
 * switches (verifyWebhook checks every `v1,` signature it is given, one
 * secret at a time).
 */
export async function rotateWebhookSecret(
  deps: Pick<WebhookManagementDeps, 'rooms' | 'webhooks' | 'audit' | 'clock' | 'newSecret'>,
  identity: Identity,
  roomId: string,
  webhookId: string,
): Promise<{ secret: string }> {
  await requireRoomOwner(deps, identity, roomId, 'manage webhooks');
  const secret = deps.newSecret();
  const rotated = await deps.webhooks.rotateSecret(roomId, webhookId, secret);
  if (!rotated) throw new NotFoundError(`Webhook "${webhookId}" not found.`);
  const at = new Date(deps.clock.now()).toISOString();
  await deps.audit.record({
    roomId,
    idempotencyKey: `webhook.secretRotated:${webhookId}:${at}`,
    occurredAt: at,
    actor: { type: 'user', id: identity.userId },
    action: 'webhook.secretRotated',
    target: { type: 'webhook', id: webhookId },
  });
  return { secret };
}
