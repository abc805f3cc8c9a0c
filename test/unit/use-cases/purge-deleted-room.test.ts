import { beforeEach, describe, expect, it } from 'vitest';
import {
  firstPurgeJob,
  MEMORY_PURGE_PAGE_SIZE,
  PURGE_PAGE_SIZE,
  PURGE_PAGES_PER_JOB,
  type RoomPurgeJob,
} from '../../../lambdas/domain/room-purge';
import type { Room } from '../../../lambdas/domain/types';
import { type PurgeBudget, purgeDeletedRoom, type PurgeDeletedRoomDeps } from '../../../lambdas/use-cases/purge-deleted-room';
import { FakeMemoryPurge, FakeMessageExpiries, FakePartitionPurge, FakeRoomPurgeQueue } from '../../support/fakes/room-purge';

const DELETED_AT = '2026-12-06T10:00:00.000Z';
const EXPIRY = Date.parse(DELETED_AT) / 1000;
const room = (deletedAt?: string): Room => ({
  roomId: 'r1',
  name: 'Lobby',
  visibility: 'public',
  ownerId: 'u-alice',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...(deletedAt === undefined ? {} : { deletedAt }),
});

describe('purgeDeletedRoom', () => {
  let rooms: Map<string, Room>;
  let messages: FakeMessageExpiries;
  let memory: FakeMemoryPurge;
  let integrations: FakePartitionPurge;
  let games: FakePartitionPurge;
  let queue: FakeRoomPurgeQueue;
  let documentsRemovedFor: string[];
  let deps: PurgeDeletedRoomDeps;
  const always = { hasTime: () => true };

  /** Runs a purge to its end as the worker would: each job, then the one it enqueued. */
  const runToEnd = async (job: RoomPurgeJob, budget: PurgeBudget = always) => {
    const outcomes = [await purgeDeletedRoom(deps, job, budget)];
    while (outcomes.at(-1)?.outcome === 'handedOver') outcomes.push(await purgeDeletedRoom(deps, queue.jobs.at(-1)!, budget));
    return outcomes;
  };

  beforeEach(() => {
    rooms = new Map([['r1', room(DELETED_AT)]]);
    messages = new FakeMessageExpiries();
    memory = new FakeMemoryPurge();
    integrations = new FakePartitionPurge();
    games = new FakePartitionPurge();
    queue = new FakeRoomPurgeQueue();
    documentsRemovedFor = [];
    const documents = { removeAll: async (roomId: string) => (documentsRemovedFor.push(roomId), 2) };
    deps = { rooms: { getRoom: async (id) => rooms.get(id) }, messages, memory, queue, documents, integrations, games };
  });

  it('gives every message the deletion time as its expiry, then deletes the room’s memory', async () => {
    const ids = messages.add('r1', 7);
    messages.add('r2', 3);
    memory.add('r1', 3);

    const result = await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always);

    expect(result).toMatchObject({ outcome: 'done', expired: 7, unchanged: 0, memoryRemoved: 3, documentsRemoved: 2 });
    expect(documentsRemovedFor).toEqual(['r1']);
    expect(ids.map((id) => messages.expiryOf('r1', id))).toEqual(ids.map(() => EXPIRY));
    expect(memory.rooms.get('r1')).toEqual([]);
    expect([...messages.rooms.get('r2')!.values()]).toEqual([undefined, undefined, undefined]);
    expect(queue.jobs).toEqual([]);
  });

  it('deletes the room’s API keys and webhooks with their records after its memory, across jobs when the budget runs out', async () => {
    memory.add('r1', 2);
    integrations.add('r1', 2 * MEMORY_PURGE_PAGE_SIZE + 5);
    integrations.add('r2', 4);

    // Four pages a job: the messages' one, the memory's one and two of integrations, then the next job finishes.
    const outcomes = await runToEnd(firstPurgeJob('r1', DELETED_AT), { pages: 4, hasTime: () => true });

    expect(outcomes.map((o) => o.outcome)).toEqual(['handedOver', 'done']);
    expect(outcomes.at(-1)).toMatchObject({ outcome: 'done', documentsRemoved: 2 });
    expect(outcomes.reduce((sum, o) => sum + (o.outcome === 'skipped' ? 0 : o.integrationsRemoved), 0)).toBe(2 * MEMORY_PURGE_PAGE_SIZE + 5);
    expect(integrations.rooms.get('r1')).toEqual([]);
    expect(integrations.rooms.get('r2')).toHaveLength(4);
  });

  it('deletes the room’s games after its integrations and before its documents, across jobs when the budget runs out', async () => {
    integrations.add('r1', 3);
    games.add('r1', 3 * MEMORY_PURGE_PAGE_SIZE + 1);
    games.add('r2', 6);

    // Five pages a job: messages, memory, integrations and two of games; then memory, integrations and the last two of games.
    const outcomes = await runToEnd(firstPurgeJob('r1', DELETED_AT), { pages: 5, hasTime: () => true });

    expect(outcomes.map((o) => o.outcome)).toEqual(['handedOver', 'done']);
    expect(outcomes.map((o) => (o.outcome === 'skipped' ? 0 : o.gamesRemoved))).toEqual([2 * MEMORY_PURGE_PAGE_SIZE, MEMORY_PURGE_PAGE_SIZE + 1]);
    expect(outcomes.map((o) => (o.outcome === 'skipped' ? 0 : o.documentsRemoved))).toEqual([0, 2]);
    expect(games.rooms.get('r1')).toEqual([]);
    expect(games.rooms.get('r2')).toHaveLength(6);
  });

  it('touches no game data of a room that is not deleted', async () => {
    rooms.set('r1', room());
    games.add('r1', 4);

    expect(await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always)).toEqual({ outcome: 'skipped', roomId: 'r1' });
    expect(games.rooms.get('r1')).toHaveLength(4);
  });

  it('keeps an earlier expiry: a message about to expire by its retention goes then', async () => {
    const [early] = messages.add('r1', 1, EXPIRY - 3600);
    const [later] = messages.add('r1', 1, EXPIRY + 86_400);

    const result = await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always);

    expect(result).toMatchObject({ expired: 1, unchanged: 1 });
    expect(messages.expiryOf('r1', early!)).toBe(EXPIRY - 3600);
    expect(messages.expiryOf('r1', later!)).toBe(EXPIRY);
  });

  it('hands over with its cursor when its pages are spent, and the next jobs go on from there', async () => {
    const count = PURGE_PAGE_SIZE * PURGE_PAGES_PER_JOB + 5;
    messages.add('r1', count);
    memory.add('r1', MEMORY_PURGE_PAGE_SIZE + 1);

    const first = await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always);

    expect(first).toMatchObject({ outcome: 'handedOver', expired: PURGE_PAGE_SIZE * PURGE_PAGES_PER_JOB, memoryRemoved: 0 });
    expect(queue.jobs).toEqual([
      { roomId: 'r1', deletedAt: DELETED_AT, phase: 'messages', cursor: expect.any(String), sequence: 1 },
    ]);
    const rest = await runToEnd(queue.jobs[0]!);
    expect(rest.at(-1)).toMatchObject({ outcome: 'done' });
    expect(messages.updates).toBe(count);
    expect(memory.rooms.get('r1')).toEqual([]);
    // Each page was read once: the cursor took each job on where the last stopped.
    const cursors = messages.pagesRead.map((p) => p.cursor ?? '');
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('hands over when the invocation’s time runs out, even mid-memory', async () => {
    messages.add('r1', 3);
    memory.add('r1', MEMORY_PURGE_PAGE_SIZE * 2);
    let checks = 0;
    // Time for the message page and one memory page, then no more.
    const budget = { hasTime: () => (checks += 1) <= 2 };

    const result = await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), budget);

    expect(result).toMatchObject({ outcome: 'handedOver', expired: 3, memoryRemoved: MEMORY_PURGE_PAGE_SIZE, pages: 2 });
    // Documents go in the job that finishes the purge, not before.
    expect(documentsRemovedFor).toEqual([]);
    expect(queue.jobs).toEqual([{ roomId: 'r1', deletedAt: DELETED_AT, phase: 'memory', sequence: 1 }]);
  });

  it('does no harm when a job runs twice: the second changes nothing', async () => {
    messages.add('r1', 12);
    memory.add('r1', 4);
    await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always);
    const updates = messages.updates;

    const again = await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always);

    expect(again).toMatchObject({ outcome: 'done', expired: 0, unchanged: 12, memoryRemoved: 0 });
    expect(messages.updates).toBe(updates);
  });

  it('counts a message removed meanwhile as unchanged, and goes on', async () => {
    const ids = messages.add('r1', 3);
    messages.beforeUpdate = (roomId, messageId) => {
      if (messageId === ids[1]) messages.rooms.get(roomId)!.delete(messageId);
    };

    const result = await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always);

    expect(result).toMatchObject({ outcome: 'done', expired: 2, unchanged: 1 });
  });

  it('takes the expiry from the room’s tombstone, not from the job', async () => {
    const [id] = messages.add('r1', 1);

    await purgeDeletedRoom(deps, { ...firstPurgeJob('r1', '2030-01-01T00:00:00.000Z') }, always);

    expect(messages.expiryOf('r1', id!)).toBe(EXPIRY);
  });

  it('does nothing for a room that is not deleted, or not there', async () => {
    rooms.set('r1', room());
    messages.add('r1', 2);
    memory.add('r1', 2);

    expect(await purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always)).toEqual({ outcome: 'skipped', roomId: 'r1' });
    expect(await purgeDeletedRoom(deps, firstPurgeJob('r9', DELETED_AT), always)).toEqual({ outcome: 'skipped', roomId: 'r9' });
    expect(messages.updates).toBe(0);
    expect(messages.pagesRead).toEqual([]);
    expect(memory.rooms.get('r1')).toHaveLength(2);
    expect(queue.jobs).toEqual([]);
  });

  it('fails, without handing over, when the next job cannot be queued, so the job itself is retried', async () => {
    messages.add('r1', PURGE_PAGE_SIZE * PURGE_PAGES_PER_JOB + 1);
    queue.failures = 1;

    await expect(purgeDeletedRoom(deps, firstPurgeJob('r1', DELETED_AT), always)).rejects.toThrow(/queue unavailable/);
    expect(queue.jobs).toEqual([]);
  });
});
