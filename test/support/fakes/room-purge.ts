import type {
  MessageExpiryPage,
  RoomMemoryPurge,
  RoomPartitionPurge,
  RoomMessageExpiries,
  RoomPurgeJob,
  RoomPurgeQueue,
} from '../../../lambdas/domain/room-purge';

/** The room-purge queue: keeps what was enqueued; `failures` makes the next enqueues throw. */
export class FakeRoomPurgeQueue implements RoomPurgeQueue {
  readonly jobs: RoomPurgeJob[] = [];
  failures = 0;

  async enqueue(job: RoomPurgeJob): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('queue unavailable');
    }
    this.jobs.push(job);
  }
}

/** Messages' expiries by room, in id order; counts the pages read and the updates made. */
export class FakeMessageExpiries implements RoomMessageExpiries {
  readonly rooms = new Map<string, Map<string, number | undefined>>();
  readonly pagesRead: Array<{ roomId: string; cursor?: string }> = [];
  updates = 0;
  /** Called before each update: a test removes a message "meanwhile" here. */
  beforeUpdate: (roomId: string, messageId: string) => void = () => undefined;

  add(roomId: string, count: number, expiresAt?: number): string[] {
    const room = this.rooms.get(roomId) ?? new Map<string, number | undefined>();
    const ids = Array.from({ length: count }, (_, i) => `m${String(room.size + i).padStart(6, '0')}`);
    for (const id of ids) room.set(id, expiresAt);
    this.rooms.set(roomId, room);
    return ids;
  }

  expiryOf(roomId: string, messageId: string): number | undefined {
    return this.rooms.get(roomId)?.get(messageId);
  }

  async pageMessages(roomId: string, limit: number, cursor?: string): Promise<MessageExpiryPage> {
    this.pagesRead.push(cursor === undefined ? { roomId } : { roomId, cursor });
    const ids = [...(this.rooms.get(roomId)?.keys() ?? [])].sort().filter((id) => cursor === undefined || id > cursor);
    const page = ids.slice(0, limit);
    const messages = page.map((messageId) => {
      const expiresAt = this.expiryOf(roomId, messageId);
      return expiresAt === undefined ? { messageId } : { messageId, expiresAt };
    });
    // Like DynamoDB, a full page gives a cursor even when nothing follows it.
    return page.length === limit ? { messages, cursor: page.at(-1)! } : { messages };
  }

  async expireMessage(roomId: string, messageId: string, expiresAt: number): Promise<boolean> {
    this.beforeUpdate(roomId, messageId);
    const room = this.rooms.get(roomId);
    if (!room?.has(messageId)) return false;
    const current = room.get(messageId);
    if (current !== undefined && current <= expiresAt) return false;
    room.set(messageId, expiresAt);
    this.updates += 1;
    return true;
  }
}

/** Memory items by room. */
export class FakeMemoryPurge implements RoomMemoryPurge {
  readonly rooms = new Map<string, string[]>();

  add(roomId: string, count: number): void {
    this.rooms.set(roomId, [...(this.rooms.get(roomId) ?? []), ...Array.from({ length: count }, (_, i) => `CHUNK#${i}`)]);
  }

  async deleteMemoryPage(roomId: string, limit: number): Promise<number> {
    const items = this.rooms.get(roomId) ?? [];
    const removed = items.splice(0, limit);
    return removed.length;
  }
}

/** A room-keyed feature table's partitions (integrations), deleted a page at a time. */
export class FakePartitionPurge implements RoomPartitionPurge {
  readonly rooms = new Map<string, string[]>();

  add(roomId: string, count: number): void {
    this.rooms.set(roomId, [...(this.rooms.get(roomId) ?? []), ...Array.from({ length: count }, (_, i) => `ITEM#${i}`)]);
  }

  async deletePage(roomId: string, limit: number): Promise<number> {
    return (this.rooms.get(roomId) ?? []).splice(0, limit).length;
  }
}
