import { describe, expect, it } from 'vitest';
import { CognitoError, refreshTokens, signInWithPassword } from '../../../web/src/auth/cognito';
import { cognitoServer } from '../../support/fakes/cognito';

const settings = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId: 'client-1' };

/** Cognito's JSON API for one user, enough for the browser's sign-in flows. */
function fakeCognito(options: { needsNewPassword?: boolean; needsTotp?: boolean } = {}) {
  const server = cognitoServer('AbCdEf123', 'user-7f3c', 'Correct-Horse-42!');
  const calls: Array<{ target: string; body: Record<string, any> }> = [];
  let srpA = 0n;
  const reply = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.1' } });
  const fetchImpl = (async (url: string, init: RequestInit) => {
    expect(url).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    const target = String((init.headers as Record<string, string>)['x-amz-target']).replace('AWSCognitoIdentityProviderService.', '');
    const body = JSON.parse(String(init.body)) as Record<string, any>;
    calls.push({ target, body });
    const signedIn = { AuthenticationResult: { IdToken: 'id-token', RefreshToken: 'refresh-token', ExpiresIn: 3600 } };
    if (target === 'InitiateAuth' && body['AuthFlow'] === 'USER_SRP_AUTH') {
      srpA = BigInt(`0x${body['AuthParameters']['SRP_A']}`);
      const challenge = await server.challenge();
      return reply(200, {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: { USER_ID_FOR_SRP: 'user-7f3c', USERNAME: 'user-7f3c', SALT: challenge.salt, SRP_B: challenge.serverB, SECRET_BLOCK: challenge.secretBlock },
      });
    }
    if (target === 'RespondToAuthChallenge' && body['ChallengeName'] === 'PASSWORD_VERIFIER') {
      const answers = body['ChallengeResponses'];
      const expected = await server.expectedSignature(srpA, answers['TIMESTAMP']);
      if (answers['PASSWORD_CLAIM_SIGNATURE'] !== expected || answers['USERNAME'] !== 'user-7f3c') {
        return reply(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      }
      if (options.needsNewPassword) return reply(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's-new', ChallengeParameters: {} });
      if (options.needsTotp) return reply(200, { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's-mfa', ChallengeParameters: {} });
      return reply(200, signedIn);
    }
    if (target === 'RespondToAuthChallenge') return reply(200, signedIn);
    if (target === 'InitiateAuth' && body['AuthFlow'] === 'REFRESH_TOKEN_AUTH') {
      return reply(200, { AuthenticationResult: { IdToken: 'id-token-2', ExpiresIn: 3600 } });
    }
    return reply(400, { __type: 'InvalidParameterException', message: 'Unexpected call.' });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

describe('signInWithPassword', () => {
  it('signs in with SRP and answers with USER_ID_FOR_SRP, never sending the password', async () => {
    const cognito = fakeCognito();

    const step = await signInWithPassword(settings, 'alice@example.com', 'Correct-Horse-42!', cognito.fetchImpl);

    expect(step).toMatchObject({ kind: 'signedIn', tokens: { idToken: 'id-token', refreshToken: 'refresh-token' } });
    expect(cognito.calls.map((c) => c.target)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(cognito.calls[0]?.body).toMatchObject({ ClientId: 'client-1', AuthParameters: { USERNAME: 'alice@example.com' } });
    expect(JSON.stringify(cognito.calls)).not.toContain('Correct-Horse-42!');
  });

  it('reports a wrong password with Cognito’s message', async () => {
    const cognito = fakeCognito();

    await expect(signInWithPassword(settings, 'alice@example.com', 'nope', cognito.fetchImpl)).rejects.toEqual(
      new CognitoError('NotAuthorizedException', 'Incorrect username or password.'),
    );
  });

  it('asks for a new password when an administrator created the account', async () => {
    const cognito = fakeCognito({ needsNewPassword: true });

    const step = await signInWithPassword(settings, 'alice@example.com', 'Correct-Horse-42!', cognito.fetchImpl);
    if (step.kind !== 'newPasswordRequired') throw new Error(`unexpected step ${step.kind}`);
    const done = await step.respond('An0ther-Long-Pass!');

    expect(done.kind).toBe('signedIn');
    expect(cognito.calls.at(-1)?.body).toMatchObject({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 's-new',
      ChallengeResponses: { USERNAME: 'user-7f3c', NEW_PASSWORD: 'An0ther-Long-Pass!' },
    });
  });

  it('asks for an authenticator code when the user enrolled in MFA', async () => {
    const cognito = fakeCognito({ needsTotp: true });

    const step = await signInWithPassword(settings, 'alice@example.com', 'Correct-Horse-42!', cognito.fetchImpl);
    if (step.kind !== 'totpRequired') throw new Error(`unexpected step ${step.kind}`);
    await step.respond('123456');

    expect(cognito.calls.at(-1)?.body).toMatchObject({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: 's-mfa',
      ChallengeResponses: { USERNAME: 'user-7f3c', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    });
  });
});

describe('refreshTokens', () => {
  it('gets a new ID token and keeps the refresh token Cognito does not rotate', async () => {
    const cognito = fakeCognito();

    const tokens = await refreshTokens(settings, 'refresh-token', cognito.fetchImpl);

    expect(tokens).toMatchObject({ idToken: 'id-token-2', refreshToken: 'refresh-token' });
    expect(cognito.calls[0]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: 'client-1',
      AuthParameters: { REFRESH_TOKEN: 'refresh-token' },
    });
  });
});
