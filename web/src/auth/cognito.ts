import { t } from '../i18n';

/**
 * The browser's side of the stack's Cognito user pool: sign-up and its
 * emailed confirmation code, sign-in, a forgotten password, token refresh,
 * the display name, and sign-out. Plain `fetch` calls to Cognito's JSON API
 * with the public app client (no secret); Cognito allows these calls
 * cross-origin. The unauthenticated operations need only the client id;
 * the others carry the user's access token.
 *
 * Sign-in uses USER_PASSWORD_AUTH: the password goes to Cognito over TLS,
 * which lets threat protection check it against compromised credentials
 * (it cannot check SRP sign-ins), and there is no cryptography to write.
 */

export interface CognitoSettings {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

export interface CognitoTokens {
  readonly idToken: string;
  /** For the user's own operations (their display name). */
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What the sign-in form must ask next, or the tokens. */
export type SignInStep =
  | { readonly kind: 'signedIn'; readonly tokens: CognitoTokens }
  | { readonly kind: 'newPasswordRequired'; readonly respond: (newPassword: string) => Promise<SignInStep> }
  | { readonly kind: 'totpRequired'; readonly respond: (code: string) => Promise<SignInStep> };

/** Where Cognito sent a code (a masked address such as a***@e***). */
export interface CodeDelivery {
  readonly destination?: string;
}

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
  readonly AuthenticationResult?: { IdToken: string; AccessToken?: string; RefreshToken?: string; ExpiresIn: number };
  readonly ChallengeName?: string;
  readonly ChallengeParameters?: Record<string, string>;
  readonly Session?: string;
}

interface DeliveryResponse {
  readonly CodeDeliveryDetails?: { Destination?: string };
}

type Fetch = typeof fetch;

/** The Cognito operations the browser calls: nothing else can be sent. */
export type CognitoOperation =
  | 'SignUp'
  | 'ConfirmSignUp'
  | 'ResendConfirmationCode'
  | 'InitiateAuth'
  | 'RespondToAuthChallenge'
  | 'ForgotPassword'
  | 'ConfirmForgotPassword'
  | 'UpdateUserAttributes'
  | 'RevokeToken';

export const cognitoEndpoint = (region: string): string => `https://cognito-idp.${region}.amazonaws.com/`;

async function call<T>(settings: CognitoSettings, operation: CognitoOperation, body: unknown, fetchImpl: Fetch): Promise<T> {
  const response = await fetchImpl(cognitoEndpoint(settings.region), {
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
    const message = typeof json['message'] === 'string' ? json['message'] : t().errors.requestFailed;
    throw new CognitoError(type, message);
  }
  return json as T;
}

const tokensOf = (result: NonNullable<AuthResponse['AuthenticationResult']>, now: number, refreshToken?: string): CognitoTokens => {
  const refresh = result.RefreshToken ?? refreshToken;
  return {
    idToken: result.IdToken,
    expiresAt: now + result.ExpiresIn * 1000,
    ...(result.AccessToken === undefined ? {} : { accessToken: result.AccessToken }),
    ...(refresh === undefined ? {} : { refreshToken: refresh }),
  };
};

const deliveryOf = (response: DeliveryResponse): CodeDelivery =>
  response.CodeDeliveryDetails?.Destination === undefined ? {} : { destination: response.CodeDeliveryDetails.Destination };

/**
 * Creates an account: the email is the sign-in name, the display name is
 * the `name` attribute tokens carry. Cognito emails a confirmation code.
 */
export async function signUp(
  settings: CognitoSettings,
  account: { readonly email: string; readonly displayName: string; readonly password: string },
  fetchImpl: Fetch = fetch,
): Promise<{ readonly confirmed: boolean } & CodeDelivery> {
  const response = await call<DeliveryResponse & { UserConfirmed?: boolean }>(
    settings,
    'SignUp',
    {
      ClientId: settings.clientId,
      Username: account.email,
      Password: account.password,
      UserAttributes: [
        { Name: 'email', Value: account.email },
        { Name: 'name', Value: account.displayName },
      ],
    },
    fetchImpl,
  );
  return { confirmed: response.UserConfirmed === true, ...deliveryOf(response) };
}

/** Confirms an account with the code Cognito emailed. */
export async function confirmSignUp(settings: CognitoSettings, email: string, code: string, fetchImpl: Fetch = fetch): Promise<void> {
  await call(settings, 'ConfirmSignUp', { ClientId: settings.clientId, Username: email, ConfirmationCode: code }, fetchImpl);
}

/** Emails a new confirmation code (the first one expires after 24 hours). */
export async function resendConfirmationCode(settings: CognitoSettings, email: string, fetchImpl: Fetch = fetch): Promise<CodeDelivery> {
  return deliveryOf(await call<DeliveryResponse>(settings, 'ResendConfirmationCode', { ClientId: settings.clientId, Username: email }, fetchImpl));
}

/** Emails a code to set a new password with. */
export async function forgotPassword(settings: CognitoSettings, email: string, fetchImpl: Fetch = fetch): Promise<CodeDelivery> {
  return deliveryOf(await call<DeliveryResponse>(settings, 'ForgotPassword', { ClientId: settings.clientId, Username: email }, fetchImpl));
}

/** Sets a new password with the code `forgotPassword` sent. */
export async function confirmForgotPassword(
  settings: CognitoSettings,
  email: string,
  code: string,
  newPassword: string,
  fetchImpl: Fetch = fetch,
): Promise<void> {
  await call(
    settings,
    'ConfirmForgotPassword',
    { ClientId: settings.clientId, Username: email, ConfirmationCode: code, Password: newPassword },
    fetchImpl,
  );
}

/**
 * Signs in with an email and password. Resolves with the tokens, or with
 * the next challenge to answer (a new password for an account an
 * administrator created, an authenticator code).
 */
export async function signInWithPassword(
  settings: CognitoSettings,
  username: string,
  password: string,
  fetchImpl: Fetch = fetch,
): Promise<SignInStep> {
  const started = await call<AuthResponse>(
    settings,
    'InitiateAuth',
    { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: settings.clientId, AuthParameters: { USERNAME: username, PASSWORD: password } },
    fetchImpl,
  );
  // Challenges answer with the user's own name (a UUID with email sign-in), when Cognito gives it.
  return nextStep(settings, started.ChallengeParameters?.['USER_ID_FOR_SRP'] ?? username, started, fetchImpl);
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
        t().errors.unsupportedChallenge(response.ChallengeName ?? 'none'),
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
  if (!response.AuthenticationResult) throw new CognitoError('RefreshFailed', t().errors.renewFailed);
  return tokensOf(response.AuthenticationResult, Date.now(), refreshToken);
}

/**
 * Sets the `name` attribute, so the next ID token (after a refresh, or the
 * next sign-in) carries the display name chosen in Parley.
 */
export async function updateDisplayName(settings: CognitoSettings, accessToken: string, displayName: string, fetchImpl: Fetch = fetch): Promise<void> {
  await call(settings, 'UpdateUserAttributes', { AccessToken: accessToken, UserAttributes: [{ Name: 'name', Value: displayName }] }, fetchImpl);
}

/** Revokes the refresh token on sign-out (the app client enables revocation); other devices stay signed in. */
export async function revokeRefreshToken(settings: CognitoSettings, refreshToken: string, fetchImpl: Fetch = fetch): Promise<void> {
  await call(settings, 'RevokeToken', { ClientId: settings.clientId, Token: refreshToken }, fetchImpl);
}
