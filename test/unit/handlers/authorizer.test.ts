import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorizerEvent, lambdaContext } from '../../support/events';

const ISSUER = 'https://idp.example.test/pool';
const AUDIENCE = 'parley-client';

type Handler = (typeof import('../../../lambdas/handlers/authorizer'))['handler'];
let handler: Handler;
let sign: (claims: Record<string, unknown>, options?: { audience?: string; expiresIn?: string | number }) => Promise<string>;
let foreignSign: typeof sign;
const fetchSpy = vi.fn();

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  fetchSpy.mockImplementation(async (url: string) => {
    expect(url).toBe(`${ISSUER}/.well-known/jwks.json`);
    return new Response(JSON.stringify({ keys: [jwk] }), { headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchSpy);
  const signer = (key: CryptoKey) => async (claims: Record<string, unknown>, options: { audience?: string; expiresIn?: string | number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(key);
  sign = signer(privateKey);
  foreignSign = signer(foreign.privateKey);
  vi.stubEnv('JWT_ISSUER', ISSUER);
  vi.stubEnv('JWT_AUDIENCE', AUDIENCE);
  ({ handler } = await import('../../../lambdas/handlers/authorizer'));
});

afterAll(() => {
  vi.unstubAllGlobals();
});

const effectOf = (result: Awaited<ReturnType<Handler>>) => result.policyDocument.Statement[0]?.Effect;

describe('authorizer handler', () => {
  it('allows a valid token and hands user id and display name to the routes', async () => {
    const token = await sign({ sub: 'user-1', name: 'Alice' });
    const result = await handler(authorizerEvent(token), lambdaContext);

    expect(effectOf(result)).toBe('Allow');
    expect(result.principalId).toBe('user-1');
    expect(result.context).toEqual({ userId: 'user-1', displayName: 'Alice', expiresAt: expect.any(Number) });
    const exp = (JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { exp: number }).exp;
    expect(result.context?.['expiresAt']).toBe(exp);
    expect(fetchSpy).toHaveBeenCalled();
  });

  it('refuses a missing token with Unauthorized (401)', async () => {
    await expect(handler(authorizerEvent(undefined), lambdaContext)).rejects.toThrow('Unauthorized');
  });

  it('denies an expired token', async () => {
    const token = await sign({ sub: 'user-1' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect(effectOf(await handler(authorizerEvent(token), lambdaContext))).toBe('Deny');
  });

  it('denies a token for another audience', async () => {
    const token = await sign({ sub: 'user-1' }, { audience: 'someone-else' });
    expect(effectOf(await handler(authorizerEvent(token), lambdaContext))).toBe('Deny');
  });

  it('denies a token signed by another key', async () => {
    const token = await foreignSign({ sub: 'user-1' });
    expect(effectOf(await handler(authorizerEvent(token), lambdaContext))).toBe('Deny');
  });

  it('denies garbage', async () => {
    expect(effectOf(await handler(authorizerEvent('not.a.jwt'), lambdaContext))).toBe('Deny');
  });
});

describe('authorizer handler when the key set cannot be fetched', () => {
  it('fails the invocation (a 500 the client may retry) instead of denying a token it could not check', async () => {
    vi.resetModules();
    const { handler: fresh } = await import('../../../lambdas/handlers/authorizer');
    const token = await sign({ sub: 'user-1', name: 'Alice' });
    fetchSpy.mockRejectedValueOnce(new TypeError('fetch failed'));

    await expect(fresh(authorizerEvent(token), lambdaContext)).rejects.toThrow('fetch failed');
    // The failure is not cached: the next connection is checked against the fetched keys.
    expect(effectOf(await fresh(authorizerEvent(token), lambdaContext))).toBe('Allow');
  });
});
