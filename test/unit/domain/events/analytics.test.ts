import { describe, expect, it } from 'vitest';
import { analyticsObjects, dateOf, type BusEvent } from '../../../../lambdas/domain/events/analytics';

const busEvent = (id: string, time: string): BusEvent => ({
  version: '0',
  id,
  'detail-type': 'room.created',
  source: 'parley',
  time,
  detail: { id },
});

describe('analyticsObjects', () => {
  it('writes one object per UTC date, keyed by the batch', () => {
    const objects = analyticsObjects('msg-1', [
      busEvent('a', '2026-12-06T23:59:59Z'),
      busEvent('b', '2026-12-07T00:00:01Z'),
      busEvent('c', '2026-12-06T10:00:00Z'),
    ]);
    expect(objects.map(({ key }) => key)).toEqual([
      'events/date=2026-12-06/msg-1.json.gz',
      'events/date=2026-12-07/msg-1.json.gz',
    ]);
    expect(objects[0]!.lines.trim().split('\n').map((line) => (JSON.parse(line) as BusEvent).id)).toEqual(['a', 'c']);
  });

  it('keeps a key safe whatever the batch id holds', () => {
    expect(analyticsObjects('../x y', [busEvent('a', '2026-12-06T00:00:00Z')])[0]!.key).toBe('events/date=2026-12-06/___x_y.json.gz');
  });

  it('refuses an event without a date', () => {
    expect(() => dateOf({ time: 'yesterday' })).toThrow();
  });
});
