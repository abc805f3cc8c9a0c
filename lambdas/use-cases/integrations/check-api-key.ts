import { UnauthorizedError } from '../../domain/errors';
import {
  lastUsedMinute,
  parseApiKey,
  secretMatches,
  usageWindows,
  type ApiKeyPrincipal,
  type ApiKeyStore,
} from '../../domain/integrations/api-keys';
import type { Clock } from '../../domain/ports';

export interface CheckApiKeyDeps {
  readonly keys: ApiKeyStore;
  readonly clock: Clock;
}

/** The same answer for every refused key, so a caller learns nothing of which part was wrong. */
const refused = () => new UnauthorizedError('The API key is not valid or has been revoked.');

/**
 * The key a request presents, checked: well-formed, known (one read, found
 * by the room and key id it carries), its secret's hash the stored one
 * (compared in constant time), not revoked. Records its last use, to the
 * minute, at most once a minute (a conditional write that fails quietly
 * when the minute is already recorded).
 */
export async function authenticateApiKey(deps: CheckApiKeyDeps, token: string): Promise<ApiKeyPrincipal> {
  const parsed = parseApiKey(token);
  if (parsed === undefined) throw refused();
  const record = await deps.keys.get(parsed.roomId, parsed.keyId);
  if (record === undefined || record.revokedAt !== undefined || !secretMatches(parsed.secret, record.secretHash)) throw refused();
  const minute = lastUsedMinute(deps.clock.now());
  if (record.lastUsedAt === undefined || record.lastUsedAt < minute) await deps.keys.touch(record.roomId, record.keyId, minute);
  const { secretHash: _hash, createdAt: _c, createdBy: _b, lastUsedAt: _l, revokedAt: _r, ...principal } = record;
  return principal;
}

/** How a request fared against a key's limits, for the RateLimit-* and Retry-After headers. */
export interface KeyUsage {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
}

/**
 * Counts one request against the key's per-minute rate, then its daily
 * quota; each count is one atomic conditional update that never passes
 * the limit, on a counter that expires after its window. A request the
 * rate refuses does not spend quota. Answers the tighter of the two.
 */
export async function admitApiKeyRequest(deps: CheckApiKeyDeps, key: ApiKeyPrincipal): Promise<KeyUsage> {
  const now = deps.clock.now();
  const { minute, day } = usageWindows(now);
  const secondsUntil = (endsAtMs: number) => Math.max(1, Math.ceil((endsAtMs - now) / 1000));
  const perMinute = await deps.keys.count(key.roomId, key.keyId, minute.id, key.ratePerMinute, Math.ceil(minute.endsAtMs / 1000) + 60);
  const minuteUsage: KeyUsage =
    perMinute === undefined
      ? { allowed: false, limit: key.ratePerMinute, remaining: 0, resetSeconds: secondsUntil(minute.endsAtMs) }
      : { allowed: true, limit: key.ratePerMinute, remaining: key.ratePerMinute - perMinute, resetSeconds: secondsUntil(minute.endsAtMs) };
  if (!minuteUsage.allowed || key.dailyQuota === undefined) return minuteUsage;
  const today = await deps.keys.count(key.roomId, key.keyId, day.id, key.dailyQuota, Math.ceil(day.endsAtMs / 1000) + 3600);
  if (today === undefined) return { allowed: false, limit: key.dailyQuota, remaining: 0, resetSeconds: secondsUntil(day.endsAtMs) };
  const dayRemaining = key.dailyQuota - today;
  return dayRemaining < minuteUsage.remaining
    ? { allowed: true, limit: key.dailyQuota, remaining: dayRemaining, resetSeconds: secondsUntil(day.endsAtMs) }
    : minuteUsage;
}
