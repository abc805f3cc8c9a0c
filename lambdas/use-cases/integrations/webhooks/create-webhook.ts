import { ConflictError } from '../../../domain/errors';
import {
  type CreateWebhookRequest,
  MAX_WEBHOOKS_PER_ROOM,
  normalizeEventTypes,
  type Webhook,
  type WebhookWithSecret,
} from '../../../domain/integrations/webhooks';
import type { Identity } from '../../../domain/types';
import { checkWebhookTarget } from './check-target';
import { requireRoomOwner, type WebhookManagementDeps } from './webhook-deps';

/**
 * Creates a webhook for a room: the owner only, a target that passes every
 * check (webhook-target.ts), at most MAX_WEBHOOKS_PER_ROOM a room. The
 * secret is returned here and on rotation only; later reads never show it.
 * Every check runs before the write, so a refused request changes nothing.
 *
 * @example
 * const { webhook, secret } = await createWebhook(deps, identity, roomId, { url: 'https://example.com/parley' });
 */
export async function createWebhook(
  deps: WebhookManagementDeps,
  identity: Identity,
  roomId: string,
  request: CreateWebhookRequest,
): Promise<{ webhook: Webhook; secret: string }> {
  await requireRoomOwner(deps, identity, roomId, 'manage webhooks');
  const target = await checkWebhookTarget(deps.resolver, request.url, deps.targetPolicy);
  const existing = await deps.webhooks.list(roomId);
  // Checked before the write; two creations racing past it leave at most one extra, which the next creation refuses.
  if (existing.length >= MAX_WEBHOOKS_PER_ROOM) {
    throw new ConflictError(`A room has at most ${MAX_WEBHOOKS_PER_ROOM} webhooks; delete one first.`);
  }
  const now = deps.clock.now();
  const webhook: WebhookWithSecret = {
    webhookId: deps.nextId(now),
    roomId,
    url: target.url.toString(),
    events: normalizeEventTypes(request.events),
    ...(request.description === undefined || request.description.trim() === '' ? {} : { description: request.description.trim() }),
    createdBy: identity.userId,
    createdAt: new Date(now).toISOString(),
    secret: deps.newSecret(),
  };
  await deps.webhooks.create(webhook);
  await deps.audit.record({
    roomId,
    idempotencyKey: `webhook.created:${webhook.webhookId}`,
    occurredAt: webhook.createdAt,
    actor: { type: 'user', id: identity.userId },
    action: 'webhook.created',
    target: { type: 'webhook', id: webhook.webhookId },
    details: { host: target.url.hostname, events: webhook.events },
  });
  const { secret, ...listed } = webhook;
  return { webhook: listed, secret };
}
