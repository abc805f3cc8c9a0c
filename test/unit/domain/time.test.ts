import { describe, expect, it } from 'vitest';
import { compactTime, spokenTime, timeStamp } from '../../../lambdas/domain/time';

describe('compactTime', () => {
  it('writes a moment in UTC to the minute', () => {
    expect(compactTime('2026-12-06T14:03:59.999Z')).toBe('2026-12-06 14:03');
    expect(compactTime('2026-12-06T23:30:00+02:00')).toBe('2026-12-06 21:30');
    expect(compactTime(Date.UTC(2027, 0, 1, 0, 0))).toBe('2027-01-01 00:00');
  });

  it('writes nothing for a time it cannot read', () => {
    expect(compactTime('not a time')).toBe('');
  });
});

describe('spokenTime', () => {
  it('spells out the weekday, date and time in UTC', () => {
    expect(spokenTime(Date.parse('2026-12-06T14:05:00Z'))).toBe('Sunday 6 December 2026, 14:05 UTC');
    expect(spokenTime('2027-02-28T23:59:00-01:00')).toBe('Monday 1 March 2027, 00:59 UTC');
  });
});

describe('timeStamp', () => {
  it('prefixes a line with its time in brackets, or with nothing when unknown', () => {
    expect(timeStamp('2026-12-06T14:03:00Z')).toBe('[2026-12-06 14:03] ');
    expect(timeStamp(undefined)).toBe('');
    expect(timeStamp('garbage')).toBe('');
  });
});
