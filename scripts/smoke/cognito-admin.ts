import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AwsCredentials, signRequest } from './sigv4';

/**
 * The Cognito administration the smoke test needs: create a user with a
 * verified email and no invitation, give it a permanent password, delete
 * it. A port, so tests use a fake; `signedCognitoAdmin` calls Cognito's
 * JSON API with signed requests.
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
 * The default AWS credentials (environment, profile, SSO, instance role),
 * resolved by an SDK client's own provider chain, so the smoke test finds
 * them where the CDK CLI does.
 */
export function defaultCredentials(region: string): () => Promise<AwsCredentials> {
  const client = new DynamoDBClient({ region });
  return async () => {
    const credentials = await client.config.credentials();
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    };
  };
}

/** Cognito's administration API over `fetch`, each request signed with Signature Version 4. */
export function signedCognitoAdmin(
  region: string,
  credentials: () => Promise<AwsCredentials>,
  fetchImpl: typeof fetch = fetch,
): CognitoAdmin {
  const url = new URL(`https://cognito-idp.${region}.amazonaws.com/`);
  const call = async (operation: string, input: Record<string, unknown>): Promise<void> => {
    const body = JSON.stringify(input);
    const headers = signRequest(
      {
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body,
      },
      await credentials(),
      { region, service: 'cognito-idp' },
    );
    const response = await fetchImpl(url, { method: 'POST', headers, body });
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const type = String(json['__type'] ?? `HTTP ${response.status}`).split('#').pop() ?? 'Error';
    const message = String(json['message'] ?? json['Message'] ?? 'no message');
    throw new CognitoAdminError(type, operation, message);
  };
  return {
    createUser: ({ userPoolId, email, name }) =>
      call('AdminCreateUser', {
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: name },
        ],
      }),
    setPermanentPassword: ({ userPoolId, username, password }) =>
      call('AdminSetUserPassword', { UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }),
    deleteUser: ({ userPoolId, username }) => call('AdminDeleteUser', { UserPoolId: userPoolId, Username: username }),
  };
}
