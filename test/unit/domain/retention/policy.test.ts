import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/domain/errors';
import {
  assertRetentionPeriod,
  expiresAtOf,
  isRetentionPeriod,
  parseRetentionPeriod,
} from '../../../../lambdas/domain/retention/policy';

describe('isRetentionPeriod', () => {
  it('accepts forever and whole days from 1 to 3650', () => {
    expect([1, 30, 3650, 'forever'].every(isRetentionPeriod)).toBe(true);
  });

  it('rejects zero, fractions, out-of-range days and other strings', () => {
    expect([0, -1, 1.5, 3651, 'never', '30', null].some(isRetentionPeriod)).toBe(false);
  });
});

describe('assertRetentionPeriod', () => {
  it('throws a client error naming the bounds', () => {
    expect(() => assertRetentionPeriod(0)).toThrow(ValidationError);
    expect(() => assertRetentionPeriod(0)).toThrow(/1 to 3650/);
  });
});

describe('parseRetentionPeriod', () => {
  it('reads days and forever from configuration text', () => {
    expect(parseRetentionPeriod(' 30 ')).toBe(30);
    expect(parseRetentionPeriod('Forever')).toBe('forever');
  });

  it('rejects text that is neither', () => {
    expect(() => parseRetentionPeriod('30d')).toThrow(/forever/);
    expect(() => parseRetentionPeriod('0')).toThrow();
  });
});

describe('expiresAtOf', () => {
  it('counts whole days from the creation time, in epoch seconds', () => {
    const createdAtMs = Date.parse('2026-11-01T10:00:00.750Z');

    const expiresAt = expiresAtOf(createdAtMs, 30);

    expect(expiresAt).toBe(Date.parse('2026-12-01T10:00:00.000Z') / 1000);
  });

  it('gives no expiry to messages kept forever', () => {
    expect(expiresAtOf(Date.now(), 'forever')).toBeUndefined();
  });
});
