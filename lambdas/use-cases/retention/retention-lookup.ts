import type { Clock } from '../../domain/ports';
import type { EffectiveRetention, RetentionPeriod, RoomRetention } from '../../domain/retention/policy';
import type { RetentionCache, RetentionRepository } from '../../domain/retention/ports';

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
  return effectiveRetentionOf(await repository.getRetention(roomId), defaultDays);
}

/** The policy in effect given what the room stored (undefined: nothing, the default applies). */
export const effectiveRetentionOf = (stored: RoomRetention | undefined, defaultDays: RetentionPeriod): EffectiveRetention =>
  stored
    ? { days: stored.days, archiveDeletions: stored.archiveDeletions, source: 'room' }
    : { days: defaultDays, archiveDeletions: false, source: 'default' };

/**
 * A RetentionLookup that reads each room's policy at most once per `ttlMs`
 * per function instance, so sending a message costs no extra DynamoDB
 * request while the room's policy is cached. Concurrent lookups of one room
 * share a single read; a failed read is not cached. `held` answers without
 * reading, and `keep` takes a policy read elsewhere (sendMessage's context
 * read) for the same period.
 *
 * @example
 * const retention = cachedRetention(repository, { defaultDays: 365, clock: systemClock });
 * const { days } = await retention.retentionOf(roomId);
 */
export function cachedRetention(
  repository: RetentionRepository,
  options: CachedRetentionOptions,
): RetentionCache & { forget(roomId: string): void } {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxRooms = options.maxRooms ?? 5_000;
  // A Map iterates in insertion order: re-inserting on read keeps the oldest first.
  const entries = new Map<string, Entry>();
  const fresh = (roomId: string): Entry | undefined => {
    const cached = entries.get(roomId);
    return cached && options.clock.now() - cached.at < ttlMs ? cached : undefined;
  };
  const store = (roomId: string, entry: Entry) => {
    entries.delete(roomId);
    entries.set(roomId, entry);
    while (entries.size > maxRooms) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  };

  return {
    retentionOf(roomId) {
      const cached = fresh(roomId);
      if (cached) {
        store(roomId, cached);
        return cached.value;
      }
      const entry: Entry = { at: options.clock.now(), value: effectiveRetention(repository, roomId, options.defaultDays) };
      store(roomId, entry);
      entry.value.then(
        (resolved) => {
          entry.resolved = resolved;
        },
        () => {
          if (entries.get(roomId) === entry) entries.delete(roomId);
        },
      );
      return entry.value;
    },
    held(roomId) {
      return fresh(roomId)?.resolved;
    },
    keep(roomId, stored) {
      const resolved = effectiveRetentionOf(stored, options.defaultDays);
      store(roomId, { at: options.clock.now(), value: Promise.resolve(resolved), resolved });
      return resolved;
    },
    forget(roomId) {
      entries.delete(roomId);
    },
  };
}

interface Entry {
  readonly at: number;
  readonly value: Promise<EffectiveRetention>;
  /** The value once read, for held(). */
  resolved?: EffectiveRetention;
}
