import type { RoomRepository } from '../domain/ports';
import {
  MEMORY_PURGE_PAGE_SIZE,
  PURGE_PAGE_SIZE,
  PURGE_PAGES_PER_JOB,
  PURGE_UPDATE_CONCURRENCY,
  purgeExpiry,
  type PurgePhase,
  type RoomMemoryPurge,
  type RoomPartitionPurge,
  type RoomMessageExpiries,
  type RoomPurgeJob,
  type RoomPurgeQueue,
} from '../domain/room-purge';

export interface PurgeDeletedRoomDeps {
  readonly rooms: Pick<RoomRepository, 'getRoom'>;
  readonly messages: RoomMessageExpiries;
  readonly memory: RoomMemoryPurge;
  readonly queue: RoomPurgeQueue;
  /** The room's documents: objects, chunks and records (knowledge/remove-room-documents.ts); resolves how many. */
  readonly documents: { removeAll(roomId: string): Promise<number> };
  /** The room's API keys and their usage, its webhooks and their delivery log: its integrations partition. */
  readonly integrations: RoomPartitionPurge;
  /** The room's rounds with their lines and votes, its scenarios and dialogues with their turns, its leaderboard (games table). */
  readonly games: RoomPartitionPurge;
}

export interface PurgeBudget {
  /** Pages (of messages or memory items) this job may work through. */
  readonly pages?: number;
  /** False once the invocation must hand over, leaving time for the last page and the enqueue. */
  readonly hasTime: () => boolean;
}

export type PurgeOutcome =
  /** The room is not deleted (or unknown): nothing was touched. */
  | { readonly outcome: 'skipped'; readonly roomId: string }
  | {
      readonly outcome: 'done' | 'handedOver';
      readonly roomId: string;
      /** Messages given the deletion time as their expiry. */
      readonly expired: number;
      /** Messages left as they were: gone already, or expiring earlier. */
      readonly unchanged: number;
      readonly memoryRemoved: number;
      /** API keys, webhooks and their records removed: a deleted room's keys stop working and its webhooks stop firing. */
      readonly integrationsRemoved: number;
      /** Game items removed: rounds, lines, votes, scenarios, dialogues, turns and the room's leaderboard. */
      readonly gamesRemoved: number;
      /** Documents removed with their objects and chunks (in the job that finishes the purge). */
      readonly documentsRemoved: number;
      readonly pages: number;
      /** Where the next job goes on, when handed over. */
      readonly next?: RoomPurgeJob;
    };

/**
 * One stretch of a deleted room's purge (see lambdas/domain/room-purge.ts):
 * re-stamps the room's messages page by page with the deletion time as their
 * expiry, so TTL removes them and the archive consumer archives each, then
 * deletes the room's memory, then its integrations (API keys, webhooks), then its games (rounds,
 * dialogues, its leaderboard), then its documents. When the budget is spent before the end, the
 * rest goes back on the queue as the next job, from its cursor.
 *
 * The room is read first: a purge runs only for a room with a tombstone, so
 * a job naming a live room (a forged or misrouted one) changes nothing. A
 * job run twice re-reads pages whose messages already expire by then, and
 * leaves them alone.
 *
 * @example
 * // The worker, with the invocation's remaining time:
 * await purgeDeletedRoom(deps, job, { hasTime: () => context.getRemainingTimeInMillis() > 10_000 });
 */
export async function purgeDeletedRoom(
  deps: PurgeDeletedRoomDeps,
  job: RoomPurgeJob,
  budget: PurgeBudget,
): Promise<PurgeOutcome> {
  const room = await deps.rooms.getRoom(job.roomId);
  if (room?.deletedAt === undefined) return { outcome: 'skipped', roomId: job.roomId };
  // The tombstone's time, not the job's: the room is the authority on when it was deleted.
  const expiresAt = purgeExpiry(room.deletedAt);
  const maxPages = budget.pages ?? PURGE_PAGES_PER_JOB;
  let expired = 0;
  let unchanged = 0;
  let memoryRemoved = 0;
  let integrationsRemoved = 0;
  let gamesRemoved = 0;
  let documentsRemoved = 0;
  let pages = 0;
  let phase: PurgePhase = job.phase;
  let cursor = job.cursor;

  const result = (next?: RoomPurgeJob): PurgeOutcome => ({
    outcome: next === undefined ? 'done' : 'handedOver',
    roomId: job.roomId,
    expired,
    unchanged,
    memoryRemoved,
    integrationsRemoved,
    gamesRemoved,
    documentsRemoved,
    pages,
    ...(next === undefined ? {} : { next }),
  });
  const handOver = async (): Promise<PurgeOutcome> => {
    const next: RoomPurgeJob = {
      roomId: job.roomId,
      deletedAt: room.deletedAt ?? job.deletedAt,
      phase,
      ...(cursor === undefined ? {} : { cursor }),
      sequence: job.sequence + 1,
    };
    await deps.queue.enqueue(next);
    return result(next);
  };
  const spent = () => pages >= maxPages || !budget.hasTime();

  while (phase === 'messages') {
    if (spent()) return handOver();
    const page = await deps.messages.pageMessages(job.roomId, PURGE_PAGE_SIZE, cursor);
    pages += 1;
    const due = page.messages.filter((m) => m.expiresAt === undefined || m.expiresAt > expiresAt);
    unchanged += page.messages.length - due.length;
    for (let start = 0; start < due.length; start += PURGE_UPDATE_CONCURRENCY) {
      const changed = await Promise.all(
        due
          .slice(start, start + PURGE_UPDATE_CONCURRENCY)
          .map((m) => deps.messages.expireMessage(job.roomId, m.messageId, expiresAt)),
      );
      for (const ok of changed) {
        if (ok) expired += 1;
        else unchanged += 1;
      }
    }
    cursor = page.cursor;
    if (cursor === undefined) phase = 'memory';
  }

  for (;;) {
    if (spent()) return handOver();
    const removed = await deps.memory.deleteMemoryPage(job.roomId, MEMORY_PURGE_PAGE_SIZE);
    pages += 1;
    memoryRemoved += removed;
    if (removed < MEMORY_PURGE_PAGE_SIZE) break;
  }
  // Still the memory phase: a job handed over here finds the memory gone in one Query and goes on.
  for (;;) {
    if (spent()) return handOver();
    const removed = await deps.integrations.deletePage(job.roomId, MEMORY_PURGE_PAGE_SIZE);
    pages += 1;
    integrationsRemoved += removed;
    if (removed < MEMORY_PURGE_PAGE_SIZE) break;
  }
  for (;;) {
    if (spent()) return handOver();
    const removed = await deps.games.deletePage(job.roomId, MEMORY_PURGE_PAGE_SIZE);
    pages += 1;
    gamesRemoved += removed;
    if (removed < MEMORY_PURGE_PAGE_SIZE) break;
  }
  // At most MAX_DOCUMENTS_PER_ROOM documents: the last job removes them all, and again harmlessly if it is retried.
  documentsRemoved = await deps.documents.removeAll(job.roomId);
  return result();
}
