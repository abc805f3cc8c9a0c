import type { Clock } from '../../domain/ports';
import type { EffectiveRetention, RetentionPeriod } from '../../domain/retention/policy';
import type { RetentionLookup, RetentionRepository } from '../../domain/retention/ports';

export interface CachedRetentionOptions {
  /** The stack-wide default for rooms without a policy of their own. */
  readonly defaultDays: RetentionPeriod;
  readonly clock: Clock;
  /** How long a read policy is reused (default 60 s): a change reaches warm functions within it. */
  readonly ttlMs?: number;
  /** Rooms remembered at once (default 5,000); the least recently read are forgotten first. */
  readonly maxRooms?: number;
}

/** The policy a room follows, from its stored policy or the default. */
export async function effectiveRetention(
  repository: RetentionRepository,
  roomId: string,
  defaultDays: RetentionPeriod,
): Promise<EffectiveRetention> {
  const stored = await repository.getRetention(roomId);
  return stored
    ? { days: stored.days, archiveDeletions: stored.archiveDeletions, source: 'room' }
    : { days: defaultDays, archiveDeletions: false, source: 'default' };
}

/**
 * A RetentionLookup that reads each room's policy at most once per `ttlMs`
 * per function instance, so sending a message costs no extra DynamoDB
 * request while the room's policy is cached. Concurrent lookups of one room
 * share a single read; a failed read is not cached.
 *
 * @example
 * const retention = cachedRetention(repository, { defaultDays: 365, clock: systemClock });
 * const { days } = await retention.retentionOf(roomId);
 */
export function cachedRetention(
  repository: RetentionRepository,
  options: CachedRetentionOptions,
): RetentionLookup & { forget(roomId: string): void } {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxRooms = options.maxRooms ?? 5_000;
  // A Map iterates in insertion order: re-inserting on read keeps the oldest first.
  const entries = new Map<string, { readonly at: number; readonly value: Promise<EffectiveRetention> }>();

  return {
    retentionOf(roomId) {
      const now = options.clock.now();
      const cached = entries.get(roomId);
      if (cached && now - cached.at < ttlMs) {
        entries.delete(roomId);
        entries.set(roomId, cached);
        return cached.value;
      }
      const value = effectiveRetention(repository, roomId, options.defaultDays);
      entries.delete(roomId);
      entries.set(roomId, { at: now, value });
      value.catch(() => {
        if (entries.get(roomId)?.value === value) entries.delete(roomId);
      });
      while (entries.size > maxRooms) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      return value;
    },
    forget(roomId) {
      entries.delete(roomId);
    },
  };
}
