import { beforeEach, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import type { RemovedMessage } from '../../../../lambdas/domain/retention/archive';
import {
  archiveRemovedMessages,
  type ArchiveRemovedDeps,
} from '../../../../lambdas/use-cases/retention/archive-removed-messages';
import { FakeArchive, FakeAudit, FakeLookup, removed } from '../../../support/fakes/retention';

let archive: FakeArchive;
let audit: FakeAudit;
let retention: FakeLookup;
let deps: ArchiveRemovedDeps;

beforeEach(() => {
  archive = new FakeArchive();
  audit = new FakeAudit();
  retention = new FakeLookup();
  deps = { archive, audit, retention };
});

const ids = (() => {
  const next = createIdGenerator();
  return (count: number) => Array.from({ length: count }, () => next(Date.parse('2026-11-01T10:00:00.000Z')));
})();

describe('archiveRemovedMessages', () => {
  it('archives expired messages, one object per room and day, with their full content', async () => {
    const [a, b, c] = ids(3) as [string, string, string];
    const batch = [removed(a, { roomId: 'r1' }), removed(b, { roomId: 'r2' }), removed(c, { roomId: 'r1' })];

    const outcome = await archiveRemovedMessages(deps, batch);

    expect(outcome).toMatchObject({ failedSequenceNumbers: [], objectsWritten: 2, messagesArchived: 3, deletions: 0 });
    expect(archive.lines().map((l) => [l['roomId'], l['messageId'], l['text']])).toEqual([
      ['r1', a, `text of ${a}`],
      ['r1', c, `text of ${c}`],
      ['r2', b, `text of ${b}`],
    ]);
  });

  it('records deletions in the audit log and leaves them out of the archive by default', async () => {
    const [a, b] = ids(2) as [string, string];

    const outcome = await archiveRemovedMessages(deps, [removed(a), removed(b, { cause: 'deleted' })]);

    expect(outcome.deletions).toBe(1);
    expect(archive.lines().map((l) => l['messageId'])).toEqual([a]);
    expect([...audit.entries.values()]).toEqual([
      {
        roomId: 'room-1',
        idempotencyKey: `message:${b}:deleted`,
        occurredAt: '2026-11-21T12:00:00.000Z',
        actor: { type: 'system', id: 'retention' },
        action: 'message.deleted',
        target: { type: 'message', id: b },
        details: { archived: false },
      },
    ]);
  });

  it('archives deletions under their own prefix when the room’s policy asks for it', async () => {
    retention.rooms.set('room-1', { archiveDeletions: true });
    const [a] = ids(1) as [string];

    await archiveRemovedMessages(deps, [removed(a, { cause: 'deleted' })]);

    expect(archive.lines('deleted').map((l) => [l['messageId'], l['removal']])).toEqual([
      [a, { cause: 'deleted', at: '2026-11-21T12:00:00.000Z' }],
    ]);
    expect([...audit.entries.values()][0]?.details).toEqual({ archived: true });
  });

  it('asks the retention policy only for rooms with deletions', async () => {
    const asked: string[] = [];
    deps = { ...deps, retention: { retentionOf: async (roomId) => (asked.push(roomId), retention.retentionOf(roomId)) } };
    const [a, b, c] = ids(3) as [string, string, string];

    await archiveRemovedMessages(deps, [
      removed(a, { roomId: 'r1' }),
      removed(b, { roomId: 'r2', cause: 'deleted' }),
      removed(c, { roomId: 'r2', cause: 'deleted' }),
    ]);

    expect(asked).toEqual(['r2']);
  });

  it('retries from the first record of a failed object and keeps the written ones before it', async () => {
    archive.failingRooms.add('r2');
    const [a, b, c] = ids(3) as [string, string, string];
    const batch = [removed(a, { roomId: 'r1' }), removed(b, { roomId: 'r2' }), removed(c, { roomId: 'r3' })];

    const outcome = await archiveRemovedMessages(deps, batch);

    expect(outcome.failedSequenceNumbers).toEqual([batch[1]!.sequenceNumber, batch[2]!.sequenceNumber]);
    expect(outcome.failures).toEqual(['archive:AccessDenied']);
    expect(outcome.objectsWritten).toBe(2);
  });

  it('retries a written object whole when a failure falls inside it', async () => {
    archive.failingRooms.add('r2');
    const [a, b, c] = ids(3) as [string, string, string];
    const batch = [removed(a, { roomId: 'r1' }), removed(b, { roomId: 'r2' }), removed(c, { roomId: 'r1' })];

    const outcome = await archiveRemovedMessages(deps, batch);

    expect(outcome.failedSequenceNumbers).toEqual(batch.map((m) => m.sequenceNumber));
  });

  it('retries deletions whose room policy or audit entry fails', async () => {
    retention.failingRooms.add('r2');
    const [a, b] = ids(2) as [string, string];
    const batch = [removed(a, { roomId: 'r1', cause: 'deleted' }), removed(b, { roomId: 'r2', cause: 'deleted' })];

    const policyFailure = await archiveRemovedMessages(deps, batch);
    retention.failingRooms.clear();
    audit.failing = true;
    const auditFailure = await archiveRemovedMessages(deps, batch);

    expect(policyFailure.failedSequenceNumbers).toEqual([batch[1]!.sequenceNumber]);
    expect(policyFailure.failures).toEqual(['retention:Error']);
    expect(auditFailure.failedSequenceNumbers).toEqual(batch.map((m) => m.sequenceNumber));
    expect(auditFailure.failures).toContain('audit:ThrottlingException');
  });

  it('does nothing for an empty batch', async () => {
    const outcome = await archiveRemovedMessages(deps, []);

    expect(outcome).toEqual({ failedSequenceNumbers: [], objectsWritten: 0, messagesArchived: 0, deletions: 0, failures: [] });
  });
});

/** A small deterministic random source, so a failing run can be replayed. */
const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/**
 * Drives the use case the way Lambda's event source mapping does: batches
 * of up to `batchSize`, a retry from the first reported record (refilled to
 * the batch size, so a retry may bring more records), and after
 * `maxRetries` the rest of the batch goes to the failure destination.
 */
async function runStream(
  records: readonly RemovedMessage[],
  options: { batchSize: number; maxRetries: number },
): Promise<RemovedMessage[][]> {
  const failed: RemovedMessage[][] = [];
  let start = 0;
  let attempts = 0;
  while (start < records.length) {
    const batch = records.slice(start, start + options.batchSize);
    const outcome = await archiveRemovedMessages(deps, batch);
    if (outcome.failedSequenceNumbers.length === 0) {
      start += batch.length;
      attempts = 0;
      continue;
    }
    const from = batch.findIndex((m) => m.sequenceNumber === outcome.failedSequenceNumbers[0]);
    start += from;
    attempts += 1;
    if (attempts > options.maxRetries) {
      failed.push(batch.slice(from));
      start += batch.length - from;
      attempts = 0;
    }
  }
  return failed;
}

describe('archiveRemovedMessages under retries', () => {
  it('leaves every expired message in the archive exactly once, however writes fail', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      archive = new FakeArchive();
      deps = { archive, audit, retention };
      const random = seeded(seed);
      const rooms = ['r1', 'r2', 'r3'];
      const days = ['2026-11-01', '2026-11-02'];
      const records = ids(120).map((id) =>
        removed(id, {
          roomId: rooms[Math.floor(random() * rooms.length)]!,
          createdAt: `${days[Math.floor(random() * days.length)]!}T10:00:00.000Z`,
        }),
      );
      archive.failWhen = () => random() < 0.3;

      const failedBatches = await runStream(records, { batchSize: 25, maxRetries: 2 });
      archive.failWhen = () => false;
      for (const batch of failedBatches) {
        expect((await archiveRemovedMessages(deps, batch)).failedSequenceNumbers).toEqual([]);
      }

      const archived = archive.lines().map((l) => l['messageId']);
      expect(archived.toSorted()).toEqual(records.map((r) => r.messageId).toSorted());
    }
  });
});
