import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../types';

/**
 * API keys of the HTTP API: what they may do, their limits, how a key is
 * written and checked. A key reaches one room. Its text carries the room
 * and key id in clear, so a request finds the key's record with one read,
 * and 256 random bits, of which only the SHA-256 hash is stored: with that
 * much randomness nobody can guess a secret from its hash, so a fast hash
 * is the right one (a slow one guards low-entropy passwords, not this).
 */

/**
 * What an API key may do in its one room: read its history (`read`) and/or
 * post messages to it (`post`).
 */
export const API_KEY_SCOPES = ['read', 'post'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Every API key starts with this, which tells it apart from a user's ID token (a JWT starts with `ey`). */
export const API_KEY_PREFIX = 'prk_';
/** Bytes of randomness in a key's secret. */
export const SECRET_BYTES = 32;
/** Keys a room may have at once (revoked ones included until deleted with the room). */
export const MAX_KEYS_PER_ROOM = 20;
/** A key's name: shown as the sender of the messages it posts. */
export const MAX_KEY_NAME_LENGTH = 64;
/** The most a key's daily quota may be. */
export const MAX_DAILY_QUOTA = 1_000_000;
/** How often at most a key's last use is written: a busy key is not one write per request. */
export const LAST_USED_PRECISION_MS = 60_000;

/** A verified API key, as the edge hands it to a route: the one room it reaches and what it may do there. */
export interface ApiKeyPrincipal {
  readonly roomId: string;
  readonly keyId: string;
  /** The name its owner gave it; messages it posts show it as their sender's name. */
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Requests per minute it may make. */
  readonly ratePerMinute: number;
  /** Requests per UTC day it may make; absent: no quota. */
  readonly dailyQuota?: number;
}

/** A key as stored: never its secret, only the secret's hash. */
export interface ApiKeyRecord extends ApiKeyPrincipal {
  /** SHA-256 of the secret part, hex. */
  readonly secretHash: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** When it was last used, to the minute (LAST_USED_PRECISION_MS); absent until first used. */
  readonly lastUsedAt?: string;
  /** When its owner revoked it; a revoked key is refused. */
  readonly revokedAt?: string;
}

/** A key as its owner sees it in a listing: everything but the hash. */
export type ApiKeyView = Omit<ApiKeyRecord, 'secretHash'>;

export const viewOf = ({ secretHash: _hash, ...view }: ApiKeyRecord): ApiKeyView => view;

/** Whether `token` (what follows `Bearer `) is an API key rather than an ID token. */
export const isApiKeyToken = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

/** What a key's text says: its room, its id and its secret, none of them checked yet. */
export interface ParsedApiKey {
  readonly roomId: string;
  readonly keyId: string;
  readonly secret: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Writes a key: `prk_<roomId, base64url>.<keyId>.<secret, base64url>`. Dots
 * separate the parts because base64url never contains one.
 */
export const formatApiKey = ({ roomId, keyId, secret }: ParsedApiKey): string =>
  `${API_KEY_PREFIX}${Buffer.from(roomId, 'utf8').toString('base64url')}.${keyId}.${secret}`;

/** Reads a key's parts; undefined for anything that is not a well-formed key. */
export function parseApiKey(token: string): ParsedApiKey | undefined {
  if (!isApiKeyToken(token) || token.length > 400) return undefined;
  const parts = token.slice(API_KEY_PREFIX.length).split('.');
  if (parts.length !== 3) return undefined;
  const [room, keyId, secret] = parts as [string, string, string];
  if (!BASE64URL.test(room) || !/^[0-9A-Za-z]{1,64}$/.test(keyId) || !BASE64URL.test(secret)) return undefined;
  const roomId = Buffer.from(room, 'base64url').toString('utf8');
  // A round trip that changes the text means bytes that were not a room id.
  if (roomId === '' || Buffer.from(roomId, 'utf8').toString('base64url') !== room) return undefined;
  return { roomId, keyId, secret };
}

/** A new secret: SECRET_BYTES random bytes, base64url. */
export const newSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

/** The stored form of a secret: SHA-256, hex. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Whether `secret` is the one whose hash is `secretHash`, in time that does not depend on where they differ. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The minute a key's last use is recorded as: the write happens once per minute at most. */
export const lastUsedMinute = (nowMs: number): string =>
  new Date(Math.floor(nowMs / LAST_USED_PRECISION_MS) * LAST_USED_PRECISION_MS).toISOString();

/** The windows a key's requests are counted in: its minute and its UTC day, each with when it ends. */
export function usageWindows(nowMs: number): { minute: { id: string; endsAtMs: number }; day: { id: string; endsAtMs: number } } {
  const minuteStart = Math.floor(nowMs / 60_000) * 60_000;
  const dayStart = Math.floor(nowMs / 86_400_000) * 86_400_000;
  return {
    minute: { id: `m${new Date(minuteStart).toISOString().slice(0, 16)}`, endsAtMs: minuteStart + 60_000 },
    day: { id: `d${new Date(dayStart).toISOString().slice(0, 10)}`, endsAtMs: dayStart + 86_400_000 },
  };
}

/** Who calls the HTTP API: a signed-in user (their ID token), an API key of one room, or anyone on a public route. */
export type HttpCaller =
  | { readonly kind: 'user'; readonly identity: Identity }
  | { readonly kind: 'key'; readonly key: ApiKeyPrincipal }
  | { readonly kind: 'anonymous' };

/**
 * Where API keys live (one partition per room) and their requests are
 * counted. Counting is one atomic conditional write per window: the
 * counter never passes its limit, whatever runs at once.
 */
export interface ApiKeyStore {
  get(roomId: string, keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key (its id is new; a clash is a ConflictError). */
  create(record: ApiKeyRecord): Promise<void>;
  /** A room's keys, oldest first (at most MAX_KEYS_PER_ROOM). */
  list(roomId: string): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when there is no such key. Revoking twice keeps the first time. */
  revoke(roomId: string, keyId: string, revokedAt: string): Promise<boolean>;
  /** Records the key's last use as `minute` unless it already says that minute or later (one conditional write). */
  touch(roomId: string, keyId: string, minute: string): Promise<void>;
  /**
   * Adds one to the key's count in `window` unless it has reached `limit`;
   * resolves the count after it, or undefined when it was at the limit.
   * The counter expires at `expiresAtSeconds`.
   */
  count(roomId: string, keyId: string, window: string, limit: number, expiresAtSeconds: number): Promise<number | undefined>;
}
