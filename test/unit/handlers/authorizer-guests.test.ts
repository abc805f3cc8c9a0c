import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { JoseGuestTokens } from '../../../lambdas/adapters/secrets/guest-token-signer';
import { authorizerEvent, lambdaContext } from '../../support/events';

const SECRET = 'g'.repeat(64);
const AUDIENCE = 'parley-test';
const secrets = mockClient(SecretsManagerClient);

type Handler = (typeof import('../../../lambdas/handlers/authorizer'))['handler'];
let handler: Handler;
const tokens = new JoseGuestTokens(async () => SECRET, AUDIENCE);
const nowS = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  secrets.on(GetSecretValueCommand, { SecretId: 'guest-secret' }).resolves({ SecretString: SECRET });
  vi.stubEnv('JWT_ISSUER', 'https://idp.example.test/pool');
  vi.stubEnv('JWT_AUDIENCE', 'parley-client');
  vi.stubEnv('GUEST_TOKEN_SECRET', 'guest-secret');
  vi.stubEnv('GUEST_TOKEN_AUDIENCE', AUDIENCE);
  ({ handler } = await import('../../../lambdas/handlers/authorizer'));
});

const effectOf = (result: Awaited<ReturnType<Handler>>) => result.policyDocument.Statement[0]?.Effect;

describe('authorizer handler: guest tokens', () => {
  it('allows a guest token and confines the connection to its room, the name marked as a guest’s', async () => {
    const exp = nowS() + 1800;
    const token = await tokens.sign({ sub: 'guest-abc', room: 'r1', name: 'Ada', exp }, Date.now());

    const result = await handler(authorizerEvent(token), lambdaContext);

    expect(effectOf(result)).toBe('Allow');
    expect(result.principalId).toBe('guest-abc');
    expect(result.context).toEqual({ userId: 'guest-abc', displayName: 'Ada (guest)', expiresAt: exp, guestRoomId: 'r1' });
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'guest-secret' });
  });

  it('denies an expired guest token (403)', async () => {
    const token = await tokens.sign({ sub: 'guest-abc', room: 'r1', name: 'Ada', exp: nowS() - 5 }, Date.now() - 60_000);

    expect(effectOf(await handler(authorizerEvent(token), lambdaContext))).toBe('Deny');
  });

  it('denies a guest token signed with another secret or for another stage', async () => {
    const forged = await new JoseGuestTokens(async () => 'x'.repeat(64), AUDIENCE).sign({ sub: 'guest-abc', room: 'r1', name: 'Ada', exp: nowS() + 60 }, Date.now());
    const otherStage = await new JoseGuestTokens(async () => SECRET, 'parley-prod').sign({ sub: 'guest-abc', room: 'r1', name: 'Ada', exp: nowS() + 60 }, Date.now());

    expect(effectOf(await handler(authorizerEvent(forged), lambdaContext))).toBe('Deny');
    expect(effectOf(await handler(authorizerEvent(otherStage), lambdaContext))).toBe('Deny');
  });

  it('denies a token signed with the guest secret that claims another issuer (it goes to the user verifier)', async () => {
    const token = await new SignJWT({ room: 'r1', name: 'Ada' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.example.test/pool')
      .setAudience('parley-client')
      .setSubject('guest-abc')
      .setExpirationTime(nowS() + 60)
      .sign(new TextEncoder().encode(SECRET));

    expect(effectOf(await handler(authorizerEvent(token), lambdaContext))).toBe('Deny');
  });
});
