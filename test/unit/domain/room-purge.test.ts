import { describe, expect, it } from 'vitest';
import {
  FIRST_JOB_DELAY_SECONDS,
  firstPurgeJob,
  InvalidRoomPurgeJobError,
  parseRoomPurgeJob,
  purgeExpiry,
  purgeJobDelaySeconds,
} from '../../../lambdas/domain/room-purge';

describe('room purge jobs', () => {
  it('starts a purge with the messages, at no cursor', () => {
    expect(firstPurgeJob('r1', '2026-12-06T10:00:00.000Z')).toEqual({
      roomId: 'r1',
      deletedAt: '2026-12-06T10:00:00.000Z',
      phase: 'messages',
      sequence: 0,
    });
  });

  it('reads back the jobs it writes, with a cursor or without', () => {
    const first = firstPurgeJob('r1', '2026-12-06T10:00:00.000Z');
    const next = { ...first, phase: 'messages' as const, cursor: 'MSG#01kc', sequence: 3 };

    expect(parseRoomPurgeJob(JSON.stringify(first))).toEqual(first);
    expect(parseRoomPurgeJob(JSON.stringify(next))).toEqual(next);
  });

  it.each([
    ['not JSON', '{'],
    ['no room', JSON.stringify({ deletedAt: '2026-12-06T10:00:00.000Z', phase: 'messages', sequence: 0 })],
    ['a time that is not one', JSON.stringify({ roomId: 'r1', deletedAt: 'yesterday', phase: 'messages', sequence: 0 })],
    ['an unknown phase', JSON.stringify({ roomId: 'r1', deletedAt: '2026-12-06T10:00:00.000Z', phase: 'all', sequence: 0 })],
    ['an empty cursor', JSON.stringify({ roomId: 'r1', deletedAt: '2026-12-06T10:00:00.000Z', phase: 'messages', cursor: '', sequence: 0 })],
    ['a negative sequence', JSON.stringify({ roomId: 'r1', deletedAt: '2026-12-06T10:00:00.000Z', phase: 'memory', sequence: -1 })],
  ])('refuses a job with %s', (_why, body) => {
    expect(() => parseRoomPurgeJob(body)).toThrow(InvalidRoomPurgeJobError);
  });

  it('gives the deletion time, in whole epoch seconds, as the messages’ expiry', () => {
    expect(purgeExpiry('2026-12-06T10:00:00.999Z')).toBe(Date.UTC(2026, 11, 6, 10) / 1000);
    expect(() => purgeExpiry('never')).toThrow(InvalidRoomPurgeJobError);
  });

  it('delays only a room’s first job, beyond API Gateway’s 29 s request time', () => {
    const first = firstPurgeJob('r1', '2026-12-06T10:00:00.000Z');

    expect(purgeJobDelaySeconds(first)).toBe(FIRST_JOB_DELAY_SECONDS);
    expect(FIRST_JOB_DELAY_SECONDS).toBeGreaterThan(29);
    expect(purgeJobDelaySeconds({ ...first, sequence: 1 })).toBe(0);
  });
});
