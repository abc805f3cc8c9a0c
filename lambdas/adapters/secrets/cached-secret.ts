import type { SecretReader } from '../../domain/agents/ports';

export interface CachedSecretOptions {
  /** How long a value read is reused, in milliseconds. */
  readonly ttlMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * A secret read at most once per `ttlMs` per container: calls in between
 * share the value (or the read in flight), so a replaced key is picked up
 * within `ttlMs` without a read per model call. A failed read is not kept.
 */
export function cachedSecret(reader: SecretReader, secretId: string, options: CachedSecretOptions): () => Promise<string> {
  const now = options.now ?? Date.now;
  let cached: { value: Promise<string>; until: number } | undefined;
  return () => {
    if (cached && now() < cached.until) return cached.value;
    const value = reader.read(secretId);
    const entry = { value, until: now() + options.ttlMs };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}
