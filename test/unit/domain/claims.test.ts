import { describe, expect, it } from 'vitest';
import { identityFromClaims } from '../../../lambdas/domain/claims';
import { UnauthorizedError } from '../../../lambdas/domain/errors';

const uuid = '7d4e1f2a-9b3c-4d5e-8f60-1a2b3c4d5e6f';

describe('identityFromClaims', () => {
  it('uses sub as the id and name first', () => {
    expect(identityFromClaims({ sub: uuid, name: ' Alice A. ', preferred_username: 'ali', email: 'a@x.io' })).toEqual({
      userId: uuid,
      displayName: 'Alice A.',
    });
  });

  it('prefers preferred_username, then the local part of email, to a UUID user name', () => {
    expect(identityFromClaims({ sub: uuid, 'cognito:username': uuid, preferred_username: 'ali', email: 'a@x.io' }).displayName).toBe('ali');
    expect(identityFromClaims({ sub: uuid, 'cognito:username': uuid, email: 'alice@example.com' }).displayName).toBe('alice');
  });

  it('uses a cognito:username someone chose, but never a generated one', () => {
    expect(identityFromClaims({ sub: uuid, 'cognito:username': 'alice' }).displayName).toBe('alice');
    expect(identityFromClaims({ sub: 'abc', 'cognito:username': uuid.toUpperCase() }).displayName).not.toContain(uuid.toUpperCase());
    expect(identityFromClaims({ sub: 'abc-123', 'cognito:username': 'abc-123' }).displayName).toBe('User abc123');
  });

  it('skips blank and control-only claims', () => {
    expect(identityFromClaims({ sub: uuid, name: '  ', preferred_username: '\u0007', email: 'bo@x.io' }).displayName).toBe('bo');
  });

  it('falls back to a short neutral name that tells people apart, never the UUID', () => {
    const name = identityFromClaims({ sub: uuid, 'cognito:username': uuid }).displayName;
    expect(name).toBe('User 4d5e6f');
    expect(name).not.toContain(uuid);
    expect(identityFromClaims({ sub: 'local-0123456789abcdef' }).displayName).toBe('User abcdef');
  });

  it('drops control characters and caps long names', () => {
    expect(identityFromClaims({ sub: 'abc', name: 'Ali\u0000ce\u202E' }).displayName).toBe('Alice');
    expect(identityFromClaims({ sub: 'abc', name: 'x'.repeat(500) }).displayName).toHaveLength(64);
  });

  it('skips name claims with nothing visible or an unpaired surrogate', () => {
    expect(identityFromClaims({ sub: 'abc', name: '\u200b\u200d', preferred_username: 'al\ud800', email: 'a@x.io' })).toEqual({
      userId: 'abc',
      displayName: 'a',
    });
  });

  it('caps a long name at 64 characters without splitting a surrogate pair', () => {
    expect(identityFromClaims({ sub: 'abc', name: `${'x'.repeat(63)}😀😀` }).displayName).toBe(`${'x'.repeat(63)}😀`);
  });

  it('refuses a subject with an unpaired surrogate', () => {
    expect(() => identityFromClaims({ sub: 'u-\udbff' })).toThrow(UnauthorizedError);
  });

  it('refuses a token without a subject', () => {
    expect(() => identityFromClaims({ name: 'nobody' })).toThrow(UnauthorizedError);
  });
});
