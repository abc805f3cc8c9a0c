import type { AuditLog } from '../../domain/audit';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import {
  formatApiKey,
  hashSecret,
  MAX_DAILY_QUOTA,
  MAX_KEYS_PER_ROOM,
  newSecret,
  viewOf,
  type ApiKeyRecord,
  type ApiKeyScope,
  type ApiKeyStore,
  type ApiKeyView,
} from '../../domain/integrations/api-keys';
import { assertOwner } from '../../domain/permissions';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface ApiKeyDeps {
  readonly rooms: RoomRepository;
  readonly keys: ApiKeyStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  /** Requests per minute a key gets when its owner names none… */
  readonly defaultRatePerMinute: number;
  /** …and the most an owner may give one. */
  readonly maxRatePerMinute: number;
}

export interface CreateApiKeyRequest {
  readonly roomId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly ratePerMinute?: number | undefined;
  readonly dailyQuota?: number | undefined;
}

/** Only the room's owner manages its keys: a key acts for the room, so it is theirs to give. */
async function requireOwner(deps: ApiKeyDeps, roomId: string, identity: Identity): Promise<void> {
  assertOwner(await requireMembership(deps.rooms, roomId, identity.userId), 'manage API keys');
}

/**
 * Creates an API key for a room, for its owner: a name, its scopes, a
 * per-minute rate (within the deployment's maximum) and an optional daily
 * quota. Answers the key's text once: only its hash is stored, so nobody,
 * Parley included, can show it again. Audited as `apiKey.created`.
 *
 * @example
 * const { key, secret } = await createApiKey(deps, owner, { roomId, name: 'CI bot', scopes: ['post'] });
 * // secret: 'prk_cm9vbS0x.01J….Qx…' — shown to the owner, never stored
 */
export async function createApiKey(
  deps: ApiKeyDeps,
  identity: Identity,
  request: CreateApiKeyRequest,
): Promise<{ key: ApiKeyView; secret: string }> {
  const scopes = [...new Set(request.scopes)].sort();
  if (scopes.length === 0) throw new ValidationError('Give the key at least one scope: read, post.');
  const ratePerMinute = request.ratePerMinute ?? Math.min(deps.defaultRatePerMinute, deps.maxRatePerMinute);
  if (ratePerMinute > deps.maxRatePerMinute) {
    throw new ValidationError(`A key may make at most ${deps.maxRatePerMinute} requests per minute.`);
  }
  if (request.dailyQuota !== undefined && request.dailyQuota > MAX_DAILY_QUOTA) {
    throw new ValidationError(`A daily quota may be at most ${MAX_DAILY_QUOTA}.`);
  }
  await requireOwner(deps, request.roomId, identity);
  const live = (await deps.keys.list(request.roomId)).filter((k) => k.revokedAt === undefined);
  if (live.length >= MAX_KEYS_PER_ROOM) {
    throw new ConflictError(`A room may have ${MAX_KEYS_PER_ROOM} keys; revoke one first.`);
  }

  const now = deps.clock.now();
  const keyId = deps.nextId(now);
  const secret = newSecret();
  const record: ApiKeyRecord = {
    roomId: request.roomId,
    keyId,
    name: request.name,
    scopes,
    ratePerMinute,
    ...(request.dailyQuota !== undefined ? { dailyQuota: request.dailyQuota } : {}),
    secretHash: hashSecret(secret),
    createdAt: new Date(now).toISOString(),
    createdBy: identity.userId,
  };
  await deps.keys.create(record);
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `apiKey:${keyId}:created`,
    occurredAt: record.createdAt,
    actor: { type: 'user', id: identity.userId },
    action: 'apiKey.created',
    target: { type: 'apiKey', id: keyId },
    details: { name: record.name, scopes, ratePerMinute, ...(record.dailyQuota !== undefined ? { dailyQuota: record.dailyQuota } : {}) },
  });
  return { key: viewOf(record), secret: formatApiKey({ roomId: request.roomId, keyId, secret }) };
}

/** A room's API keys for its owner, oldest first, with their last use and revocation; never a secret or its hash. */
export async function listApiKeys(deps: ApiKeyDeps, identity: Identity, roomId: string): Promise<{ keys: ApiKeyView[] }> {
  await requireOwner(deps, roomId, identity);
  return { keys: (await deps.keys.list(roomId)).map(viewOf) };
}

/**
 * Revokes a room's API key, for its owner: every later request with it is
 * refused (401). Revoking a revoked key changes nothing. Audited as
 * `apiKey.revoked` once.
 */
export async function revokeApiKey(deps: ApiKeyDeps, identity: Identity, roomId: string, keyId: string): Promise<{ key: ApiKeyView }> {
  await requireOwner(deps, roomId, identity);
  const revokedAt = new Date(deps.clock.now()).toISOString();
  if (!(await deps.keys.revoke(roomId, keyId, revokedAt))) throw new NotFoundError(`No API key "${keyId}" in this room.`);
  const key = await deps.keys.get(roomId, keyId);
  if (key === undefined) throw new NotFoundError(`No API key "${keyId}" in this room.`);
  await deps.audit.record({
    roomId,
    idempotencyKey: `apiKey:${keyId}:revoked`,
    occurredAt: key.revokedAt ?? revokedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'apiKey.revoked',
    target: { type: 'apiKey', id: keyId },
    details: { name: key.name },
  });
  return { key: viewOf(key) };
}
