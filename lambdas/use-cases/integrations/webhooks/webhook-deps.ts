import type { AuditLog } from '../../../domain/audit';
import type { HostResolver, TargetPolicy } from '../../../domain/integrations/webhook-target';
import type { DeliveryLog, WebhookStore } from '../../../domain/integrations/webhooks';
import type { Clock, RoomRepository } from '../../../domain/ports';
import type { Identity } from '../../../domain/types';
import { assertOwner } from '../../../domain/permissions';
import { requireLiveRoom, requireMembership } from '../../access';

/** What managing a room's webhooks needs. */
export interface WebhookManagementDeps {
  readonly rooms: RoomRepository;
  readonly webhooks: WebhookStore;
  readonly deliveries: DeliveryLog;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  readonly resolver: HostResolver;
  readonly targetPolicy: TargetPolicy;
  /** A new signing secret (newWebhookSecret). */
  readonly newSecret: () => string;
}

/**
 * Refuses anyone but the room's owner: webhooks send the room's events out
 * of Parley, so only who answers for the room may point them anywhere. A
 * non-member of a private room hears NOT_FOUND, as everywhere.
 */
export async function requireRoomOwner(
  deps: Pick<WebhookManagementDeps, 'rooms'>,
  identity: Identity,
  roomId: string,
  doing: string,
): Promise<void> {
  const membership = await requireMembership(deps.rooms, roomId, identity.userId);
  await requireLiveRoom(deps.rooms, roomId);
  assertOwner(membership, doing);
}
