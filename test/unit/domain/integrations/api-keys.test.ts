import { describe, expect, it } from 'vitest';
import {
  formatApiKey,
  hashSecret,
  isApiKeyToken,
  lastUsedMinute,
  newSecret,
  parseApiKey,
  secretMatches,
  usageWindows,
} from '../../../../lambdas/domain/integrations/api-keys';

describe('API keys', () => {
  it('carry their room and key id, and read back to the same parts', () => {
    const secret = newSecret();
    const key = formatApiKey({ roomId: 'room_1-é', keyId: '01JEXAMPLE', secret });

    expect(key.startsWith('prk_')).toBe(true);
    expect(isApiKeyToken(key)).toBe(true);
    expect(parseApiKey(key)).toEqual({ roomId: 'room_1-é', keyId: '01JEXAMPLE', secret });
  });

  it('have a secret of 256 random bits, different every time', () => {
    const [a, b] = [newSecret(), newSecret()];

    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it.each([
    ['an ID token', 'eyJhbGciOiJSUzI1NiJ9.e30.sig'],
    ['a key with a part missing', 'prk_cm9vbQ.01J'],
    ['a key with a part too many', 'prk_cm9vbQ.01J.abc.def'],
    ['a room part that is not base64url', 'prk_r@@m.01J.abc'],
    ['an empty room', 'prk_.01J.abc'],
    ['a key id with punctuation', 'prk_cm9vbQ.01-J.abc'],
    ['an absurdly long key', `prk_cm9vbQ.01J.${'a'.repeat(500)}`],
  ])('refuse %s', (_what, token) => {
    expect(parseApiKey(token)).toBeUndefined();
  });

  it('store only a hash the secret matches, and no other secret does', () => {
    const secret = newSecret();
    const stored = hashSecret(secret);

    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(newSecret(), stored)).toBe(false);
    expect(secretMatches(secret, 'not-a-hash')).toBe(false);
  });

  it('record last use to the minute, so a busy key is written once a minute', () => {
    expect(lastUsedMinute(Date.UTC(2026, 11, 7, 0, 5, 59, 999))).toBe('2026-12-07T00:05:00.000Z');
    expect(lastUsedMinute(Date.UTC(2026, 11, 7, 0, 6, 0))).toBe('2026-12-07T00:06:00.000Z');
  });

  it('count requests per minute and per UTC day, each window ending when it should', () => {
    const { minute, day } = usageWindows(Date.UTC(2026, 11, 7, 23, 59, 30));

    expect(minute).toEqual({ id: 'm2026-12-07T23:59', endsAtMs: Date.UTC(2026, 11, 8, 0, 0) });
    expect(day).toEqual({ id: 'd2026-12-07', endsAtMs: Date.UTC(2026, 11, 8) });
  });
});
