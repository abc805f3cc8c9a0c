import { afterEach, describe, expect, it } from 'vitest';
import type { CognitoAdmin } from '../../../scripts/smoke/cognito-admin';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoAdminError, sdkCognitoAdmin } from '../../../scripts/smoke/cognito-admin';
import { cognitoUsers, type PasswordSignIn, smokePassword } from '../../../scripts/smoke/users';

const settings = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: 'client' };

/** Records every administration call. */
class FakeAdmin implements CognitoAdmin {
  readonly calls: Array<[string, Record<string, unknown>]> = [];
  async createUser(input: { userPoolId: string; email: string; name: string }) {
    this.calls.push(['createUser', input]);
  }
  async setPermanentPassword(input: { userPoolId: string; username: string; password: string }) {
    this.calls.push(['setPermanentPassword', input]);
  }
  async deleteUser(input: { userPoolId: string; username: string }) {
    this.calls.push(['deleteUser', input]);
  }
}

describe('cognitoUsers', () => {
  it('creates a user with a permanent password, signs in for its ID token, and deletes it', async () => {
    const admin = new FakeAdmin();
    const signIn: PasswordSignIn = async (_settings, username, password) => {
      expect(password).toBe('Pw-1234567890-Aa!');
      return { kind: 'signedIn', tokens: { idToken: `token-of-${username}`, expiresAt: 0 } };
    };
    const users = cognitoUsers({ admin, settings, signIn, runId: 'run1', password: () => 'Pw-1234567890-Aa!' });

    const user = await users.create('a');
    const removed = await users.remove(user);

    expect(user).toEqual({ name: 'smoke-a-run1', token: 'token-of-parley-smoke-a-run1@example.com', username: 'parley-smoke-a-run1@example.com' });
    expect(removed).toBe('parley-smoke-a-run1@example.com: deleted');
    expect(admin.calls).toEqual([
      ['createUser', { userPoolId: settings.userPoolId, email: 'parley-smoke-a-run1@example.com', name: 'smoke-a-run1' }],
      ['setPermanentPassword', { userPoolId: settings.userPoolId, username: 'parley-smoke-a-run1@example.com', password: 'Pw-1234567890-Aa!' }],
      ['deleteUser', { userPoolId: settings.userPoolId, username: 'parley-smoke-a-run1@example.com' }],
    ]);
  });

  it('deletes the user again when signing in asks for MFA, and says why it failed', async () => {
    const admin = new FakeAdmin();
    const signIn: PasswordSignIn = async () => ({ kind: 'totpRequired', respond: async () => ({ kind: 'totpRequired', respond: async () => { throw new Error(); } }) });
    const users = cognitoUsers({ admin, settings, signIn, runId: 'run1' });

    await expect(users.create('b')).rejects.toThrow(/asked for a TOTP code/);
    expect(admin.calls.map(([call]) => call)).toEqual(['createUser', 'setPermanentPassword', 'deleteUser']);
  });
});

describe('smokePassword', () => {
  it("meets the user pool's password policy", () => {
    const password = smokePassword();

    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/\d/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
  });
});

describe('sdkCognitoAdmin', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  afterEach(() => cognito.reset());

  it('creates a verified user without an invitation, then sets a permanent password and deletes it', async () => {
    const admin = sdkCognitoAdmin(new CognitoIdentityProviderClient({ region: 'eu-west-1' }));

    await admin.createUser({ userPoolId: 'eu-west-1_AbC123', email: 'a@example.com', name: 'Smoke A' });
    await admin.setPermanentPassword({ userPoolId: 'eu-west-1_AbC123', username: 'a@example.com', password: 'pw' });
    await admin.deleteUser({ userPoolId: 'eu-west-1_AbC123', username: 'a@example.com' });

    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'eu-west-1_AbC123',
      Username: 'a@example.com',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'a@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Smoke A' },
      ],
    });
    expect(cognito).toHaveReceivedCommandWith(AdminSetUserPasswordCommand, { Username: 'a@example.com', Password: 'pw', Permanent: true });
    expect(cognito).toHaveReceivedCommandWith(AdminDeleteUserCommand, { UserPoolId: 'eu-west-1_AbC123', Username: 'a@example.com' });
  });

  it("turns Cognito's refusal into an error naming the operation and exception", async () => {
    cognito.on(AdminCreateUserCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));

    const refused = sdkCognitoAdmin(new CognitoIdentityProviderClient({ region: 'eu-west-1' })).createUser({ userPoolId: 'p', email: 'e', name: 'n' });

    await expect(refused).rejects.toThrow(new CognitoAdminError('AccessDeniedException', 'AdminCreateUser', 'not allowed'));
    await expect(refused).rejects.toThrow('AdminCreateUser failed: AccessDeniedException: not allowed');
  });
});
