import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * The Cognito administration the smoke test needs: create a user with a
 * verified email and no invitation, give it a permanent password, delete
 * it. A port, so tests use a fake; `sdkCognitoAdmin` is the real one.
 */
export interface CognitoAdmin {
  createUser(input: { readonly userPoolId: string; readonly email: string; readonly name: string }): Promise<void>;
  setPermanentPassword(input: { readonly userPoolId: string; readonly username: string; readonly password: string }): Promise<void>;
  deleteUser(input: { readonly userPoolId: string; readonly username: string }): Promise<void>;
}

/** A refusal from Cognito's administration API, with its exception name. */
export class CognitoAdminError extends Error {
  constructor(
    readonly type: string,
    readonly operation: string,
    message: string,
  ) {
    super(`${operation} failed: ${type}: ${message}`);
    this.name = 'CognitoAdminError';
  }
}

/**
 * Cognito's administration API through the SDK's client, which signs each
 * request and finds credentials where the CDK CLI does (environment,
 * profile, SSO, instance role).
 */
export function sdkCognitoAdmin(client: CognitoIdentityProviderClient): CognitoAdmin {
  const call = async <T>(operation: string, send: () => Promise<T>): Promise<void> => {
    try {
      await send();
    } catch (error) {
      const { name, message } = error as Error;
      throw new CognitoAdminError(name, operation, message);
    }
  };
  return {
    createUser: ({ userPoolId, email, name }) =>
      call('AdminCreateUser', () =>
        client.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'name', Value: name },
            ],
          }),
        ),
      ),
    setPermanentPassword: ({ userPoolId, username, password }) =>
      call('AdminSetUserPassword', () =>
        client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true })),
      ),
    deleteUser: ({ userPoolId, username }) =>
      call('AdminDeleteUser', () => client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }))),
  };
}
