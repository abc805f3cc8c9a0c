import type { Webhook } from '../../../domain/integrations/webhooks';
import type { Identity } from '../../../domain/types';
import { requireRoomOwner, type WebhookManagementDeps } from './webhook-deps';

/** A room's webhooks, oldest first, for its owner; never their secrets. */
export async function listWebhooks(
  deps: Pick<WebhookManagementDeps, 'rooms' | 'webhooks'>,
  identity: Identity,
  roomId: string,
): Promise<Webhook[]> {
  await requireRoomOwner(deps, identity, roomId, 'manage webhooks');
  return deps.webhooks.list(roomId);
}
