import { describe, expect, it } from 'vitest';
import { cachedRetention } from '../../../../lambdas/use-cases/retention/retention-lookup';
import { FakeClock } from '../../../support/fakes/chat';
import { FakeRetention } from '../../../support/fakes/retention';

const stored = (roomId: string, days: number | 'forever') => ({
  roomId,
  days,
  archiveDeletions: false,
  updatedAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 'u-owner',
});

describe('cachedRetention', () => {
  it('answers with the room policy, or the default for rooms without one', async () => {
    const repository = new FakeRetention();
    await repository.putRetention(stored('r1', 7));
    const lookup = cachedRetention(repository, { defaultDays: 365, clock: new FakeClock() });

    const [own, fallback] = await Promise.all([lookup.retentionOf('r1'), lookup.retentionOf('r2')]);

    expect(own).toEqual({ days: 7, archiveDeletions: false, source: 'room' });
    expect(fallback).toEqual({ days: 365, archiveDeletions: false, source: 'default' });
  });

  it('reads a room once per cache period, then again', async () => {
    const repository = new FakeRetention();
    const clock = new FakeClock();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock, ttlMs: 60_000 });

    await lookup.retentionOf('r1');
    clock.advance(59_999);
    await lookup.retentionOf('r1');
    const readsWithinPeriod = repository.reads;
    clock.advance(1);
    await repository.putRetention(stored('r1', 'forever'));
    const after = await lookup.retentionOf('r1');

    expect(readsWithinPeriod).toBe(1);
    expect(repository.reads).toBe(2);
    expect(after.days).toBe('forever');
  });

  it('shares one read between concurrent lookups of a room', async () => {
    const repository = new FakeRetention();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock: new FakeClock() });

    await Promise.all(Array.from({ length: 10 }, () => lookup.retentionOf('r1')));

    expect(repository.reads).toBe(1);
  });

  it('does not keep a failed read', async () => {
    const repository = new FakeRetention();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock: new FakeClock() });
    repository.failing = true;
    await expect(lookup.retentionOf('r1')).rejects.toThrow('unavailable');

    repository.failing = false;
    const retried = await lookup.retentionOf('r1');

    expect(retried.days).toBe(30);
    expect(repository.reads).toBe(2);
  });

  it('forgets the least recently read room beyond its size', async () => {
    const repository = new FakeRetention();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock: new FakeClock(), maxRooms: 2 });
    await lookup.retentionOf('a');
    await lookup.retentionOf('b');
    await lookup.retentionOf('a');

    await lookup.retentionOf('c');
    await lookup.retentionOf('a');
    const readsBeforeB = repository.reads;
    await lookup.retentionOf('b');

    expect(readsBeforeB).toBe(3);
    expect(repository.reads).toBe(4);
  });

  it('reads again after forget', async () => {
    const repository = new FakeRetention();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock: new FakeClock() });
    await lookup.retentionOf('r1');

    lookup.forget('r1');
    await lookup.retentionOf('r1');

    expect(repository.reads).toBe(2);
  });

  it('holds nothing before a read, then the policy read, until its period ends', async () => {
    const repository = new FakeRetention();
    await repository.putRetention(stored('r1', 7));
    const clock = new FakeClock();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock, ttlMs: 60_000 });
    const before = lookup.held('r1');

    await lookup.retentionOf('r1');
    const within = lookup.held('r1');
    clock.advance(60_000);

    expect(before).toBeUndefined();
    expect(within).toEqual({ days: 7, archiveDeletions: false, source: 'room' });
    expect(lookup.held('r1')).toBeUndefined();
  });

  it('keeps a policy read elsewhere for the same period, without reading it, and then reads again', async () => {
    const repository = new FakeRetention();
    const clock = new FakeClock();
    const lookup = cachedRetention(repository, { defaultDays: 30, clock, ttlMs: 60_000 });

    const kept = lookup.keep('r1', stored('r1', 7));
    const fallback = lookup.keep('r2', undefined);
    const held = await lookup.retentionOf('r1');
    clock.advance(60_000);
    await repository.putRetention(stored('r1', 'forever'));
    const after = await lookup.retentionOf('r1');

    expect(kept).toEqual({ days: 7, archiveDeletions: false, source: 'room' });
    expect(fallback).toEqual({ days: 30, archiveDeletions: false, source: 'default' });
    expect(held.days).toBe(7);
    expect(after.days).toBe('forever');
    expect(repository.reads).toBe(1);
  });
});
