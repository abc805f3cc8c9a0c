import { createClientKeys, passwordClaimSignature, srpTimestamp } from './cognito-srp';

/**
 * Sign-in against the stack's Cognito user pool from the browser: the
 * public app client (no secret) with USER_SRP_AUTH, the challenges an
 * administrator-created account meets (a new password, a TOTP code), token
 * refresh and revocation. Plain `fetch` calls to Cognito's JSON API, which
 * allows cross-origin calls for these unauthenticated operations.
 */

export interface CognitoSettings {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

export interface CognitoTokens {
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What the sign-in form must ask next, or the tokens. */
export type SignInStep =
  | { readonly kind: 'signedIn'; readonly tokens: CognitoTokens }
  | { readonly kind: 'newPasswordRequired'; readonly respond: (newPassword: string) => Promise<SignInStep> }
  | { readonly kind: 'totpRequired'; readonly respond: (code: string) => Promise<SignInStep> };

/** A refusal from Cognito, with its exception name (e.g. NotAuthorizedException). */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

interface AuthResponse {
  readonly AuthenticationResult?: { IdToken: string; RefreshToken?: string; ExpiresIn: number };
  readonly ChallengeName?: string;
  readonly ChallengeParameters?: Record<string, string>;
  readonly Session?: string;
}

type Fetch = typeof fetch;

async function call<T>(settings: CognitoSettings, operation: string, body: unknown, fetchImpl: Fetch): Promise<T> {
  const response = await fetchImpl(`https://cognito-idp.${settings.region}.amazonaws.com/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type = String(json['__type'] ?? 'Error').split('#').pop() ?? 'Error';
    const message = typeof json['message'] === 'string' ? json['message'] : 'Sign-in failed.';
    throw new CognitoError(type, message);
  }
  return json as T;
}

const tokensOf = (result: NonNullable<AuthResponse['AuthenticationResult']>, now: number, refreshToken?: string): CognitoTokens => ({
  idToken: result.IdToken,
  expiresAt: now + result.ExpiresIn * 1000,
  ...((result.RefreshToken ?? refreshToken) === undefined ? {} : { refreshToken: result.RefreshToken ?? refreshToken }),
});

/**
 * Signs in with a user name (or email alias) and password. Resolves with
 * the tokens, or with the next challenge to answer.
 */
export async function signInWithPassword(
  settings: CognitoSettings,
  username: string,
  password: string,
  fetchImpl: Fetch = fetch,
): Promise<SignInStep> {
  const keys = createClientKeys();
  const started = await call<AuthResponse>(
    settings,
    'InitiateAuth',
    { AuthFlow: 'USER_SRP_AUTH', ClientId: settings.clientId, AuthParameters: { USERNAME: username, SRP_A: keys.A.toString(16) } },
    fetchImpl,
  );
  if (started.ChallengeName !== 'PASSWORD_VERIFIER' || !started.ChallengeParameters) {
    throw new CognitoError('UnexpectedChallenge', 'This account needs a sign-in step the web client does not support.');
  }
  const params = started.ChallengeParameters;
  const userIdForSrp = params['USER_ID_FOR_SRP'] ?? username;
  const timestamp = srpTimestamp(new Date());
  const signature = await passwordClaimSignature(keys, {
    poolName: settings.userPoolId.split('_')[1] ?? '',
    userIdForSrp,
    password,
    serverB: params['SRP_B'] ?? '',
    salt: params['SALT'] ?? '',
    secretBlock: params['SECRET_BLOCK'] ?? '',
    timestamp,
  });
  const answered = await call<AuthResponse>(
    settings,
    'RespondToAuthChallenge',
    {
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: settings.clientId,
      ...(started.Session === undefined ? {} : { Session: started.Session }),
      ChallengeResponses: {
        USERNAME: userIdForSrp,
        PASSWORD_CLAIM_SECRET_BLOCK: params['SECRET_BLOCK'],
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
      },
    },
    fetchImpl,
  );
  return nextStep(settings, userIdForSrp, answered, fetchImpl);
}

function nextStep(settings: CognitoSettings, username: string, response: AuthResponse, fetchImpl: Fetch): SignInStep {
  if (response.AuthenticationResult) return { kind: 'signedIn', tokens: tokensOf(response.AuthenticationResult, Date.now()) };
  const respond = (challengeName: string, answerKey: string) => async (answer: string) =>
    nextStep(
      settings,
      username,
      await call<AuthResponse>(
        settings,
        'RespondToAuthChallenge',
        {
          ChallengeName: challengeName,
          ClientId: settings.clientId,
          ...(response.Session === undefined ? {} : { Session: response.Session }),
          ChallengeResponses: { USERNAME: username, [answerKey]: answer },
        },
        fetchImpl,
      ),
      fetchImpl,
    );
  switch (response.ChallengeName) {
    case 'NEW_PASSWORD_REQUIRED':
      return { kind: 'newPasswordRequired', respond: respond('NEW_PASSWORD_REQUIRED', 'NEW_PASSWORD') };
    case 'SOFTWARE_TOKEN_MFA':
      return { kind: 'totpRequired', respond: respond('SOFTWARE_TOKEN_MFA', 'SOFTWARE_TOKEN_MFA_CODE') };
    default:
      throw new CognitoError(
        'UnexpectedChallenge',
        `This account needs a sign-in step the web client does not support (${response.ChallengeName ?? 'none'}).`,
      );
  }
}

/** New tokens from a refresh token (the ID token lasts an hour). */
export async function refreshTokens(settings: CognitoSettings, refreshToken: string, fetchImpl: Fetch = fetch): Promise<CognitoTokens> {
  const response = await call<AuthResponse>(
    settings,
    'InitiateAuth',
    { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: settings.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } },
    fetchImpl,
  );
  if (!response.AuthenticationResult) throw new CognitoError('RefreshFailed', 'The session could not be renewed.');
  return tokensOf(response.AuthenticationResult, Date.now(), refreshToken);
}

/** Revokes the refresh token on sign-out (the app client enables revocation). */
export async function revokeRefreshToken(settings: CognitoSettings, refreshToken: string, fetchImpl: Fetch = fetch): Promise<void> {
  await call(settings, 'RevokeToken', { ClientId: settings.clientId, Token: refreshToken }, fetchImpl);
}
