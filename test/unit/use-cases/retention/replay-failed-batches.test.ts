import { beforeEach, describe, expect, it } from 'vitest';
import { replayFailedBatches, type ReplayDeps } from '../../../../lambdas/use-cases/retention/replay-failed-batches';
import { FakeArchive, FakeAudit, FakeFailedBatches, FakeLookup, removed } from '../../../support/fakes/retention';

let archive: FakeArchive;
let failures: FakeFailedBatches;
let deps: ReplayDeps;

const A = '01KA0000000000000000000001';
const B = '01KA0000000000000000000002';
const C = '01KA0000000000000000000003';

beforeEach(() => {
  archive = new FakeArchive();
  failures = new FakeFailedBatches();
  deps = { archive, failures, audit: new FakeAudit(), retention: new FakeLookup() };
});

describe('replayFailedBatches', () => {
  it('archives each stored batch and removes it from the failure destination', async () => {
    failures.batches.set('b1', { id: 'b1', messages: [removed(A, { roomId: 'r1' }), removed(B, { roomId: 'r2' })] });
    failures.batches.set('b2', { id: 'b2', messages: [removed(C, { roomId: 'r1' })] });

    const report = await replayFailedBatches(deps);

    expect(report).toEqual({
      replayed: [
        { id: 'b1', messages: 2, objects: 2 },
        { id: 'b2', messages: 1, objects: 1 },
      ],
      failed: [],
      more: false,
    });
    expect(failures.batches.size).toBe(0);
    expect(archive.lines().map((l) => l['messageId']).toSorted()).toEqual([A, B, C]);
  });

  it('keeps a batch that fails again and goes on with the others', async () => {
    archive.failingRooms.add('r2');
    failures.batches.set('b1', { id: 'b1', messages: [removed(A, { roomId: 'r2' })] });
    failures.batches.set('b2', { id: 'b2', messages: [removed(B, { roomId: 'r1' })] });

    const report = await replayFailedBatches(deps);

    expect(report.failed).toEqual([{ id: 'b1', reasons: ['archive:AccessDenied'] }]);
    expect(report.replayed.map((r) => r.id)).toEqual(['b2']);
    expect([...failures.batches.keys()]).toEqual(['b1']);
  });

  it('reports a batch it cannot read and keeps it', async () => {
    failures.read = async () => {
      throw Object.assign(new Error('corrupt'), { name: 'SyntaxError' });
    };
    failures.batches.set('b1', { id: 'b1', messages: [] });

    const report = await replayFailedBatches(deps);

    expect(report.failed).toEqual([{ id: 'b1', reasons: ['SyntaxError'] }]);
    expect(failures.removed).toEqual([]);
  });

  it('stops at the limit and says more are waiting', async () => {
    for (const id of ['b1', 'b2', 'b3']) failures.batches.set(id, { id, messages: [removed(A)] });

    const report = await replayFailedBatches(deps, { limit: 2 });

    expect(report.replayed.map((r) => r.id)).toEqual(['b1', 'b2']);
    expect(report.more).toBe(true);
  });

  it('overwrites the objects a batch wrote before failing again instead of adding copies', async () => {
    failures.batches.set('b1', { id: 'b1', messages: [removed(A, { roomId: 'r1' }), removed(B, { roomId: 'r2' })] });
    archive.failingRooms.add('r2');
    const first = await replayFailedBatches(deps);
    archive.failingRooms.clear();

    const second = await replayFailedBatches(deps);

    expect(first.failed.map((f) => f.id)).toEqual(['b1']);
    expect(second.replayed.map((r) => r.id)).toEqual(['b1']);
    expect(archive.writes.filter((key) => key.includes('room=r1/'))).toHaveLength(2);
    expect(archive.objects.size).toBe(2);
    expect(archive.lines().map((l) => l['messageId']).toSorted()).toEqual([A, B]);
  });
});
