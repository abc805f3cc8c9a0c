import type { ApiKeyRecord, ApiKeyStore } from '../../../lambdas/domain/integrations/api-keys';

/** API keys and their counters in memory, with the store's conditions (a counter never passes its limit). */
export class FakeApiKeys implements ApiKeyStore {
  readonly keys = new Map<string, ApiKeyRecord>();
  readonly counters = new Map<string, number>();
  readonly touches: string[] = [];

  private id = (roomId: string, keyId: string) => `${roomId}|${keyId}`;

  async get(roomId: string, keyId: string) {
    return this.keys.get(this.id(roomId, keyId));
  }
  async create(record: ApiKeyRecord) {
    this.keys.set(this.id(record.roomId, record.keyId), record);
  }
  async list(roomId: string) {
    return [...this.keys.values()].filter((k) => k.roomId === roomId);
  }
  async revoke(roomId: string, keyId: string, revokedAt: string) {
    const key = this.keys.get(this.id(roomId, keyId));
    if (key === undefined) return false;
    this.keys.set(this.id(roomId, keyId), { ...key, revokedAt: key.revokedAt ?? revokedAt });
    return true;
  }
  async touch(roomId: string, keyId: string, minute: string) {
    const key = this.keys.get(this.id(roomId, keyId));
    if (key === undefined || (key.lastUsedAt !== undefined && key.lastUsedAt >= minute)) return;
    this.touches.push(minute);
    this.keys.set(this.id(roomId, keyId), { ...key, lastUsedAt: minute });
  }
  async count(roomId: string, keyId: string, window: string, limit: number) {
    const id = `${this.id(roomId, keyId)}|${window}`;
    const used = this.counters.get(id) ?? 0;
    if (used >= limit) return undefined;
    this.counters.set(id, used + 1);
    return used + 1;
  }
}
