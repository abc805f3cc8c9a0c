import { SignJWT } from 'jose';
import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { JoseGuestTokens } from '../../../../lambdas/adapters/secrets/guest-token-signer';
import { UnauthorizedError } from '../../../../lambdas/domain/errors';

const SECRET = 'a'.repeat(64);
const tokens = new JoseGuestTokens(async () => SECRET, 'parley-test');
const nowMs = Date.now();
const claims = { sub: 'guest-abc', room: 'r1', name: 'Ada', exp: Math.floor(nowMs / 1000) + 1800 };

describe('JoseGuestTokens', () => {
  it('verifies what it signed, with its claims', async () => {
    const token = await tokens.sign(claims, nowMs);

    await expect(tokens.verify(token)).resolves.toEqual(claims);
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as { alg: string };
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ iss: 'parley-guest', aud: 'parley-test', sub: 'guest-abc', room: 'r1', name: 'Ada' });
  });

  it('refuses an expired token', async () => {
    const token = await tokens.sign({ ...claims, exp: Math.floor(nowMs / 1000) - 10 }, nowMs - 60_000);

    await expect(tokens.verify(token)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await new JoseGuestTokens(async () => 'b'.repeat(64), 'parley-test').sign(claims, nowMs);

    await expect(tokens.verify(token)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('refuses a token for another stage', async () => {
    const token = await new JoseGuestTokens(async () => SECRET, 'parley-other').sign(claims, nowMs);

    await expect(tokens.verify(token)).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  });

  it('refuses a token from another issuer, even with the right secret', async () => {
    const token = await new SignJWT({ room: 'r1', name: 'Ada' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('someone-else')
      .setAudience('parley-test')
      .setSubject('guest-abc')
      .setExpirationTime(claims.exp)
      .sign(new TextEncoder().encode(SECRET));

    await expect(tokens.verify(token)).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  });

  it('refuses a well-signed token whose subject is not a guest’s', async () => {
    const token = await tokens.sign({ ...claims, sub: 'u-alice' }, nowMs);

    await expect(tokens.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses the none algorithm', async () => {
    const body = Buffer.from(JSON.stringify({ iss: 'parley-guest', aud: 'parley-test', sub: 'guest-x', room: 'r1', name: 'A', exp: claims.exp })).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;

    await expect(tokens.verify(unsigned)).rejects.toBeInstanceOf(errors.JOSEError);
  });
});
