import { describe, expect, it } from 'vitest';
import { identityFromClaims } from '../../../lambdas/domain/claims';
import { UnauthorizedError } from '../../../lambdas/domain/errors';

describe('identityFromClaims', () => {
  it('uses sub as the id and the best name claim as the display name', () => {
    expect(identityFromClaims({ sub: 'abc', 'cognito:username': 'alice', email: 'a@x.io' })).toEqual({
      userId: 'abc',
      displayName: 'alice',
    });
    expect(identityFromClaims({ sub: 'abc', name: ' Alice A. ' })).toEqual({ userId: 'abc', displayName: 'Alice A.' });
  });

  it('falls back to the id and caps long names', () => {
    expect(identityFromClaims({ sub: 'abc' }).displayName).toBe('abc');
    expect(identityFromClaims({ sub: 'abc', name: 'x'.repeat(500) }).displayName).toHaveLength(64);
  });

  it('skips name claims with nothing visible or an unpaired surrogate', () => {
    expect(identityFromClaims({ sub: 'abc', name: '\u200b\u200d', preferred_username: 'al\ud800', email: 'a@x.io' })).toEqual({
      userId: 'abc',
      displayName: 'a@x.io',
    });
  });

  it('caps a long name without splitting a surrogate pair', () => {
    expect(identityFromClaims({ sub: 'abc', name: `${'x'.repeat(63)}😀` }).displayName).toBe('x'.repeat(63));
  });

  it('refuses a subject with an unpaired surrogate', () => {
    expect(() => identityFromClaims({ sub: 'u-\udbff' })).toThrow(UnauthorizedError);
  });

  it('refuses a token without a subject', () => {
    expect(() => identityFromClaims({ name: 'nobody' })).toThrow(UnauthorizedError);
  });
});
