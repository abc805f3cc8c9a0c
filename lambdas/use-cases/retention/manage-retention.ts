import type { AuditLog } from '../../domain/audit';
import { PermissionError } from '../../domain/errors';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { EffectiveRetention, RetentionPeriod, RoomRetention } from '../../domain/retention/policy';
import { assertRetentionPeriod } from '../../domain/retention/policy';
import type { RetentionRequestOf } from '../../domain/retention/protocol';
import type { RetentionRepository } from '../../domain/retention/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface ManageRetentionDeps {
  readonly rooms: RoomRepository;
  readonly retention: RetentionRepository;
  /** Where policy changes are recorded. */
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The stack-wide default for rooms without a policy of their own. */
  readonly defaultDays: RetentionPeriod;
}

/** A room's retention as the protocol reports it. */
export interface RetentionView extends EffectiveRetention {
  readonly roomId: string;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/**
 * Sets a room's retention policy and records the change in the audit log;
 * only the owner may. The policy applies to messages sent from now on: each
 * message's expiry is fixed when it is stored, so older messages keep theirs
 * (docs/retention.md explains how to re-apply a policy to them). Function
 * instances that cached the previous policy pick the new one up within their
 * cache period.
 */
export async function setRetention(
  deps: ManageRetentionDeps,
  identity: Identity,
  request: RetentionRequestOf<'setRetention'>,
): Promise<{ retention: RetentionView }> {
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  if (membership.role !== 'owner') throw new PermissionError('Only the room owner can set its retention.');
  assertRetentionPeriod(request.days);
  const stored: RoomRetention = {
    roomId: request.roomId,
    days: request.days,
    archiveDeletions: request.archiveDeletions,
    updatedAt: new Date(deps.clock.now()).toISOString(),
    updatedBy: identity.userId,
  };
  await deps.retention.putRetention(stored);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `retention:${stored.updatedAt}:${identity.userId}`,
    occurredAt: stored.updatedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'retention.changed',
    target: { type: 'room', id: request.roomId },
    details: { days: String(stored.days), archiveDeletions: stored.archiveDeletions },
  });
  return { retention: { ...stored, source: 'room' } };
}

/** The retention policy a room's messages follow; any member may read it. */
export async function getRetention(
  deps: ManageRetentionDeps,
  identity: Identity,
  request: RetentionRequestOf<'getRetention'>,
): Promise<{ retention: RetentionView }> {
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  const stored = await deps.retention.getRetention(request.roomId);
  if (stored) return { retention: { ...stored, source: 'room' } };
  return { retention: { roomId: request.roomId, days: deps.defaultDays, archiveDeletions: false, source: 'default' } };
}
