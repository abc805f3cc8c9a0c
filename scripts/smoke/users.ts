import { randomBytes } from 'node:crypto';
import type { LocalIdentityProvider } from '../local/identity/identity-provider';
import type { CognitoSettings, SignInStep } from '../../web/src/auth/cognito';
import type { CognitoAdmin } from './cognito-admin';

/** A person the smoke test acts as: a display name and the ID token it connects with. */
export interface SmokeUser {
  readonly name: string;
  readonly token: string;
  /** What removes it again (a Cognito user name); none for users the test did not create. */
  readonly username?: string;
}

/**
 * Where the smoke test's two people come from: created for the run and
 * deleted after it (Cognito, the local identity provider), or given.
 */
export interface SmokeUsers {
  /** Says where the users come from, for the output. */
  readonly description: string;
  create(label: string): Promise<SmokeUser>;
  /** Deletes a user the run created; resolves with what was done, for the output. */
  remove(user: SmokeUser): Promise<string>;
}

/**
 * Users of the local runtime: tokens from its identity provider. The
 * provider keeps no user list, so there is nothing to delete; the tokens
 * expire after an hour.
 */
export function localUsers(identity: LocalIdentityProvider, runId: string): SmokeUsers {
  return {
    description: 'tokens from the local identity provider',
    async create(label) {
      const name = `smoke-${label}-${runId}`;
      return { name, token: await identity.issueToken(name, { expiresInSeconds: 3600 }) };
    },
    remove: async (user) => `${user.name}: nothing to delete (the local identity provider keeps no users)`,
  };
}

/** Two users whose ID tokens were given (`--token-a`, `--token-b`): used as they are, never deleted. */
export function givenUsers(tokens: readonly [string, string]): SmokeUsers {
  let next = 0;
  return {
    description: 'the ID tokens given',
    async create(label) {
      const token = tokens[next++ % 2] ?? '';
      return { name: `given user ${label}`, token };
    },
    remove: async (user) => `${user.name}: kept (not created by this run)`,
  };
}

/** Signs in with a password (USER_PASSWORD_AUTH, as the web client does); `signInWithPassword` from web/src/auth/cognito.ts. */
export type PasswordSignIn = (settings: CognitoSettings, username: string, password: string) => Promise<SignInStep>;

/** A password that meets the user pool's policy (12+ characters, upper and lower case, a digit, a symbol). */
export const smokePassword = (): string => `Smoke-${randomBytes(12).toString('hex')}-Aa1!`;

/**
 * Short-lived Cognito users: AdminCreateUser (email verified, no invitation
 * sent), AdminSetUserPassword (permanent), then a sign-in through the public
 * app client for the ID token; AdminDeleteUser afterwards. The emails are
 * at example.com, which receives no mail.
 */
export function cognitoUsers(options: {
  readonly admin: CognitoAdmin;
  readonly settings: CognitoSettings;
  readonly signIn: PasswordSignIn;
  readonly runId: string;
  readonly password?: () => string;
}): SmokeUsers {
  const { admin, settings, signIn, runId } = options;
  const userPoolId = settings.userPoolId;
  return {
    description: `short-lived users in the user pool ${userPoolId}`,
    async create(label) {
      const email = `parley-smoke-${label}-${runId}@example.com`;
      const name = `smoke-${label}-${runId}`;
      const password = (options.password ?? smokePassword)();
      await admin.createUser({ userPoolId, email, name });
      const user = { name, token: '', username: email };
      try {
        await admin.setPermanentPassword({ userPoolId, username: email, password });
        const step = await signIn(settings, email, password);
        if (step.kind !== 'signedIn') {
          throw new Error(
            `signing in as ${email} asked for ${step.kind === 'totpRequired' ? 'a TOTP code' : 'a new password'}; ` +
              'the smoke test needs a pool where MFA is not required (userPoolMfa=optional), or give tokens with --token-a/--token-b',
          );
        }
        return { ...user, token: step.tokens.idToken };
      } catch (error) {
        // The user exists already: delete it before reporting the failure.
        await admin.deleteUser({ userPoolId, username: email }).catch(() => undefined);
        throw error;
      }
    },
    async remove(user) {
      if (user.username === undefined) return `${user.name}: kept (not created by this run)`;
      await admin.deleteUser({ userPoolId, username: user.username });
      return `${user.username}: deleted`;
    },
  };
}
