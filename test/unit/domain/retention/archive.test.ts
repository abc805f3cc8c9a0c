import { describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import {
  archiveKey,
  archivePrefix,
  daysInRange,
  isArchiveDay,
  parseArchiveKey,
  planArchiveObjects,
  retryPosition,
  sentDay,
  toJsonLines,
} from '../../../../lambdas/domain/retention/archive';
import { removed } from '../../../support/fakes/retention';

const A = '01KA0000000000000000000001';
const B = '01KA0000000000000000000002';
const C = '01KA0000000000000000000003';
const D = '01KA0000000000000000000004';

describe('archiveKey', () => {
  it('partitions by cause, room and day and names the object after its first message', () => {
    expect(archiveKey('expired', 'r1', '2026-11-01', A)).toBe(`archive/room=r1/date=2026-11-01/${A}.jsonl.gz`);
    expect(archiveKey('deleted', 'r1', '2026-11-01', A)).toBe(`deleted/room=r1/date=2026-11-01/${A}.jsonl.gz`);
  });

  it('encodes characters that would break the layout and reads them back', () => {
    const key = archiveKey('expired', 'a/b c', '2026-11-01', A);

    expect(key).toBe(`archive/room=a%2Fb%20c/date=2026-11-01/${A}.jsonl.gz`);
    expect(parseArchiveKey(key)).toEqual({ cause: 'expired', roomId: 'a/b c', date: '2026-11-01', firstMessageId: A });
  });

  it('parses nothing out of keys of another shape', () => {
    expect(parseArchiveKey('aws/lambda/uuid/shard/2026/11/01/x')).toBeUndefined();
    expect(parseArchiveKey(`archive/room=r1/date=2026-11/${A}.jsonl.gz`)).toBeUndefined();
  });

  it('has a room prefix that no other room id extends', () => {
    expect(`${archivePrefix('r10')}2026-11-01`.startsWith(archivePrefix('r1'))).toBe(false);
  });
});

describe('sentDay', () => {
  it('is the UTC day of createdAt', () => {
    expect(sentDay(removed(A, { createdAt: '2026-11-01T23:59:59.999Z' }))).toBe('2026-11-01');
  });

  it('falls back to the time in the message id, then to the removal day', () => {
    const idOfOctober5 = createIdGenerator()(Date.parse('2026-10-05T12:00:00.000Z'));
    const fromId = removed(idOfOctober5, { createdAt: 'not a date' });
    const neither = { ...removed('not-an-id', { createdAt: 'not a date' }), removedAt: '2026-12-24T01:00:00.000Z' };

    expect(sentDay(fromId)).toBe('2026-10-05');
    expect(sentDay(neither)).toBe('2026-12-24');
  });
});

describe('planArchiveObjects', () => {
  it('makes one object per cause, room and day, keyed by the first message in stream order', () => {
    const batch = [
      removed(C, { roomId: 'r1' }),
      removed(A, { roomId: 'r2' }),
      removed(B, { roomId: 'r1' }),
      removed(D, { roomId: 'r1', createdAt: '2026-11-02T00:00:00.000Z' }),
      removed(A, { roomId: 'r1', cause: 'deleted' }),
    ];

    const objects = planArchiveObjects(batch);

    expect(objects.map((o) => [o.key, o.positions])).toEqual([
      [`archive/room=r1/date=2026-11-01/${C}.jsonl.gz`, [0, 2]],
      [`archive/room=r2/date=2026-11-01/${A}.jsonl.gz`, [1]],
      [`archive/room=r1/date=2026-11-02/${D}.jsonl.gz`, [3]],
      [`deleted/room=r1/date=2026-11-01/${A}.jsonl.gz`, [4]],
    ]);
  });

  it('gives a retry that brings more records for a group the same key', () => {
    const first = removed(B);
    const original = planArchiveObjects([first, removed(A)]);

    const retried = planArchiveObjects([first, removed(A), removed(C)]);

    expect(retried[0]?.key).toBe(original[0]?.key);
  });
});

describe('toJsonLines', () => {
  it('writes one line per message, ordered by id, with the full item and why it was removed', () => {
    const lines = toJsonLines({ messages: [removed(B), removed(A)] })
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(lines.map((l) => l['messageId'])).toEqual([A, B]);
    expect(lines[0]).toMatchObject({
      roomId: 'room-1',
      sk: `MSG#${A}`,
      text: `text of ${A}`,
      senderName: 'Alice',
      expiresAt: 1_793_000_000,
      removal: { cause: 'expired', at: '2026-11-21T12:00:00.000Z' },
    });
  });

  it('turns sets into sorted arrays and binary into base64', () => {
    const message = removed(A);
    const withOddTypes = { ...message, item: { ...message.item, tags: new Set(['b', 'a']), blob: new Uint8Array([1, 2]) } };

    const line = JSON.parse(toJsonLines({ messages: [withOddTypes] })) as Record<string, unknown>;

    expect(line['tags']).toEqual(['a', 'b']);
    expect(line['blob']).toBe('AQI=');
  });

  it('writes the same bytes for the same messages in any order', () => {
    const a = removed(A);
    const b = removed(B);

    expect(toJsonLines({ messages: [a, b] })).toBe(toJsonLines({ messages: [b, a] }));
  });
});

describe('retryPosition', () => {
  it('is undefined when every unit succeeded', () => {
    expect(retryPosition([{ positions: [0, 1], ok: true }])).toBeUndefined();
  });

  it('is the first position of the earliest failed unit', () => {
    expect(
      retryPosition([
        { positions: [0, 1], ok: true },
        { positions: [3, 5], ok: false },
        { positions: [2, 4], ok: false },
      ]),
    ).toBe(2);
  });

  it('moves back to the start of a written unit the retry would cut in two', () => {
    expect(
      retryPosition([
        { positions: [0, 2], ok: true },
        { positions: [1, 3], ok: false },
      ]),
    ).toBe(0);
  });

  it('follows a chain of written units that overlap the retry', () => {
    expect(
      retryPosition([
        { positions: [0, 3], ok: true },
        { positions: [2, 6], ok: true },
        { positions: [4, 5], ok: false },
        { positions: [1], ok: true },
      ]),
    ).toBe(0);
  });

  it('leaves written units entirely after the failure alone', () => {
    expect(
      retryPosition([
        { positions: [0], ok: true },
        { positions: [1], ok: false },
        { positions: [2, 3], ok: true },
      ]),
    ).toBe(1);
  });
});

describe('archive days', () => {
  it('accepts calendar days only', () => {
    expect(isArchiveDay('2026-02-28')).toBe(true);
    expect(isArchiveDay('2026-02-30')).toBe(false);
    expect(isArchiveDay('2026-2-3')).toBe(false);
  });

  it('counts both ends of a range', () => {
    expect(daysInRange('2026-11-01', '2026-11-01')).toBe(1);
    expect(daysInRange('2026-02-27', '2026-03-02')).toBe(4);
    expect(daysInRange('2026-11-02', '2026-11-01')).toBe(0);
  });
});
