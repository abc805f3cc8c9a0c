import { describe, expect, it } from 'vitest';
import {
  CognitoError,
  confirmForgotPassword,
  confirmSignUp,
  forgotPassword,
  refreshTokens,
  resendConfirmationCode,
  revokeRefreshToken,
  signInWithPassword,
  signUp,
  updateDisplayName,
} from '../../../web/src/auth/cognito';
import { claimsOf } from '../../../web/src/auth/session';
import { fakeCognito } from '../../support/fakes/cognito';

const settings = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId: 'client-1' };
const account = { email: 'alice@example.com', displayName: 'Alice', password: 'Correct-Horse-42!' };

describe('signUp', () => {
  it('creates an account with the email as user name and the display name as `name`, then confirms it', async () => {
    const cognito = fakeCognito();

    const created = await signUp(settings, account, cognito.fetchImpl);
    await confirmSignUp(settings, account.email, cognito.codes.signUp, cognito.fetchImpl);
    const step = await signInWithPassword(settings, account.email, account.password, cognito.fetchImpl);

    expect(created).toEqual({ confirmed: false, destination: 'a***@e***' });
    expect(cognito.calls[0]).toEqual({
      target: 'SignUp',
      body: {
        ClientId: 'client-1',
        Username: 'alice@example.com',
        Password: 'Correct-Horse-42!',
        UserAttributes: [
          { Name: 'email', Value: 'alice@example.com' },
          { Name: 'name', Value: 'Alice' },
        ],
      },
    });
    expect(cognito.urls).toEqual(new Set(['https://cognito-idp.eu-west-1.amazonaws.com/']));
    if (step.kind !== 'signedIn') throw new Error(`unexpected step ${step.kind}`);
    expect(claimsOf(step.tokens.idToken)).toMatchObject({ name: 'Alice', email: 'alice@example.com' });
  });

  it('reports Cognito’s refusals by name and message', async () => {
    const cognito = fakeCognito();
    await signUp(settings, account, cognito.fetchImpl);

    await expect(signUp(settings, account, cognito.fetchImpl)).rejects.toEqual(
      new CognitoError('UsernameExistsException', 'An account with the given email already exists.'),
    );
    await expect(signUp(settings, { ...account, email: 'b@example.com', password: 'short' }, cognito.fetchImpl)).rejects.toMatchObject({
      type: 'InvalidPasswordException',
    });
    await expect(confirmSignUp(settings, account.email, '000000', cognito.fetchImpl)).rejects.toMatchObject({ type: 'CodeMismatchException' });
  });

  it('sends a new confirmation code', async () => {
    const cognito = fakeCognito();

    const delivery = await resendConfirmationCode(settings, account.email, cognito.fetchImpl);

    expect(delivery).toEqual({ destination: 'a***@e***' });
    expect(cognito.calls[0]).toEqual({ target: 'ResendConfirmationCode', body: { ClientId: 'client-1', Username: 'alice@example.com' } });
  });
});

describe('signInWithPassword', () => {
  it('signs in with USER_PASSWORD_AUTH and keeps the ID, access and refresh tokens', async () => {
    const cognito = fakeCognito();
    cognito.addUser({ email: account.email, name: 'Alice', password: account.password });

    const step = await signInWithPassword(settings, account.email, account.password, cognito.fetchImpl);

    expect(cognito.calls[0]).toEqual({
      target: 'InitiateAuth',
      body: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client-1', AuthParameters: { USERNAME: account.email, PASSWORD: account.password } },
    });
    expect(step).toMatchObject({ kind: 'signedIn', tokens: { accessToken: expect.any(String), refreshToken: expect.any(String) } });
  });

  it('reports a wrong password and an unconfirmed account with Cognito’s exception names', async () => {
    const cognito = fakeCognito();
    cognito.addUser({ email: account.email, password: account.password });
    cognito.addUser({ email: 'new@example.com', password: account.password, confirmed: false });

    await expect(signInWithPassword(settings, account.email, 'nope', cognito.fetchImpl)).rejects.toEqual(
      new CognitoError('NotAuthorizedException', 'Incorrect username or password.'),
    );
    await expect(signInWithPassword(settings, 'new@example.com', account.password, cognito.fetchImpl)).rejects.toMatchObject({
      type: 'UserNotConfirmedException',
    });
  });

  it('asks for a new password when an administrator created the account, answering as the user’s id', async () => {
    const cognito = fakeCognito();
    const user = cognito.addUser({ email: account.email, password: 'Temporary-Pass-1!', mustChangePassword: true });

    const step = await signInWithPassword(settings, account.email, 'Temporary-Pass-1!', cognito.fetchImpl);
    if (step.kind !== 'newPasswordRequired') throw new Error(`unexpected step ${step.kind}`);
    const done = await step.respond('An0ther-Long-Pass!');

    expect(done.kind).toBe('signedIn');
    expect(cognito.calls.at(-1)?.body).toMatchObject({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeResponses: { USERNAME: user.sub, NEW_PASSWORD: 'An0ther-Long-Pass!' },
    });
  });

  it('asks for an authenticator code when the user enrolled in MFA', async () => {
    const cognito = fakeCognito();
    cognito.addUser({ email: account.email, password: account.password, totp: true });

    const step = await signInWithPassword(settings, account.email, account.password, cognito.fetchImpl);
    if (step.kind !== 'totpRequired') throw new Error(`unexpected step ${step.kind}`);

    await expect(step.respond('123456')).rejects.toMatchObject({ type: 'CodeMismatchException' });
    expect((await step.respond('000000')).kind).toBe('signedIn');
  });
});

describe('forgotten password', () => {
  it('emails a code, sets the new password with it, and the new password signs in', async () => {
    const cognito = fakeCognito();
    cognito.addUser({ email: account.email, password: 'Old-Password-123!' });

    const delivery = await forgotPassword(settings, account.email, cognito.fetchImpl);
    await expect(confirmForgotPassword(settings, account.email, '111111', 'New-Password-456!', cognito.fetchImpl)).rejects.toMatchObject({
      type: 'CodeMismatchException',
    });
    await confirmForgotPassword(settings, account.email, cognito.codes.reset, 'New-Password-456!', cognito.fetchImpl);

    expect(delivery.destination).toBe('a***@e***');
    expect((await signInWithPassword(settings, account.email, 'New-Password-456!', cognito.fetchImpl)).kind).toBe('signedIn');
    await expect(signInWithPassword(settings, account.email, 'Old-Password-123!', cognito.fetchImpl)).rejects.toBeInstanceOf(CognitoError);
  });
});

describe('updateDisplayName', () => {
  it('sets `name` with the access token, so refreshed ID tokens carry the new name', async () => {
    const cognito = fakeCognito();
    cognito.addUser({ email: account.email, name: 'Alice', password: account.password });
    const step = await signInWithPassword(settings, account.email, account.password, cognito.fetchImpl);
    if (step.kind !== 'signedIn') throw new Error(`unexpected step ${step.kind}`);

    await updateDisplayName(settings, step.tokens.accessToken!, 'Alice Liddell', cognito.fetchImpl);
    const renewed = await refreshTokens(settings, step.tokens.refreshToken!, cognito.fetchImpl);

    expect(cognito.calls.find((c) => c.target === 'UpdateUserAttributes')?.body).toEqual({
      AccessToken: step.tokens.accessToken,
      UserAttributes: [{ Name: 'name', Value: 'Alice Liddell' }],
    });
    expect(claimsOf(renewed.idToken)['name']).toBe('Alice Liddell');
  });
});

describe('refreshTokens and revokeRefreshToken', () => {
  it('gets a new ID token, keeps the refresh token Cognito does not rotate, and revokes it on sign-out', async () => {
    const cognito = fakeCognito();
    cognito.addUser({ email: account.email, password: account.password });
    const step = await signInWithPassword(settings, account.email, account.password, cognito.fetchImpl);
    if (step.kind !== 'signedIn') throw new Error(`unexpected step ${step.kind}`);
    const refreshToken = step.tokens.refreshToken!;

    const tokens = await refreshTokens(settings, refreshToken, cognito.fetchImpl);
    await revokeRefreshToken(settings, refreshToken, cognito.fetchImpl);

    expect(tokens.refreshToken).toBe(refreshToken);
    expect(cognito.calls.find((c) => c.body['AuthFlow'] === 'REFRESH_TOKEN_AUTH')?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: 'client-1',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    await expect(refreshTokens(settings, refreshToken, cognito.fetchImpl)).rejects.toMatchObject({ type: 'NotAuthorizedException' });
  });
});
