/**
 * Cognito's JSON API for a user pool with email sign-in, in memory: the
 * operations the web client calls, with Cognito's exception names and
 * `preventUserExistenceErrors`-style answers. Codes are always those in
 * `codes` (read them as if from the email). Tokens are unsigned JWTs: the
 * client never verifies them.
 */

export interface FakeCognitoUser {
  readonly sub: string;
  email: string;
  name?: string;
  password: string;
  confirmed: boolean;
  mustChangePassword?: boolean;
  totp?: boolean;
}

export interface CognitoCall {
  readonly target: string;
  readonly body: Record<string, any>;
}

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

export function fakeCognito(options: { clientId?: string; now?: () => number } = {}) {
  const clientId = options.clientId ?? 'client-1';
  const now = options.now ?? Date.now;
  const users = new Map<string, FakeCognitoUser>();
  const calls: CognitoCall[] = [];
  const refreshTokens = new Map<string, string>();
  const accessTokens = new Map<string, string>();
  const sessions = new Map<string, string>();
  const codes = { signUp: '123456', reset: '654321' };
  /** Every endpoint the client called (one: the user pool's region). */
  const urls = new Set<string>();
  let counter = 0;

  const fail = (type: string, message: string) => ({ status: 400, body: { __type: type, message } });
  const ok = (body: unknown = {}) => ({ status: 200, body });
  const delivery = (email: string) => ({
    CodeDeliveryDetails: { Destination: `${email[0]}***@${email.split('@')[1]?.[0] ?? ''}***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' },
  });

  const tokensFor = (user: FakeCognitoUser, withRefresh = true) => {
    counter += 1;
    const exp = Math.floor(now() / 1000) + 3600;
    const idToken = jwt({ sub: user.sub, email: user.email, 'cognito:username': user.sub, exp, ...(user.name ? { name: user.name } : {}) });
    const accessToken = `access-${counter}`;
    accessTokens.set(accessToken, user.email);
    const result: Record<string, unknown> = { IdToken: idToken, AccessToken: accessToken, ExpiresIn: 3600, TokenType: 'Bearer' };
    if (withRefresh) {
      const refreshToken = `refresh-${counter}`;
      refreshTokens.set(refreshToken, user.email);
      result['RefreshToken'] = refreshToken;
    }
    return { AuthenticationResult: result };
  };

  const challenge = (user: FakeCognitoUser, name: string) => {
    counter += 1;
    const session = `session-${counter}`;
    sessions.set(session, user.email);
    return ok({ ChallengeName: name, Session: session, ChallengeParameters: { USER_ID_FOR_SRP: user.sub } });
  };

  const afterPassword = (user: FakeCognitoUser) =>
    user.mustChangePassword ? challenge(user, 'NEW_PASSWORD_REQUIRED') : user.totp ? challenge(user, 'SOFTWARE_TOKEN_MFA') : ok(tokensFor(user));

  /** Answers one call as Cognito would: an HTTP status and a JSON body. */
  function handle(target: string, body: Record<string, any>): { status: number; body: unknown } {
    calls.push({ target, body });
    const needsClient = !['UpdateUserAttributes'].includes(target);
    if (needsClient && body['ClientId'] !== clientId) return fail('ResourceNotFoundException', 'User pool client does not exist.');
    switch (target) {
      case 'SignUp': {
        const email = String(body['Username']);
        if (users.has(email)) return fail('UsernameExistsException', 'An account with the given email already exists.');
        const attributes = Object.fromEntries((body['UserAttributes'] as Array<{ Name: string; Value: string }>).map((a) => [a.Name, a.Value]));
        if (!attributes['name']) return fail('InvalidParameterException', 'Attributes did not conform to the schema: name: The attribute is required');
        if (String(body['Password']).length < 12) {
          return fail('InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
        }
        counter += 1;
        const user: FakeCognitoUser = { sub: `5e1f7a20-aaaa-4bbb-8ccc-${String(counter).padStart(12, '0')}`, email, name: attributes['name'], password: String(body['Password']), confirmed: false };
        users.set(email, user);
        return ok({ UserConfirmed: false, UserSub: user.sub, ...delivery(email) });
      }
      case 'ConfirmSignUp': {
        const user = users.get(String(body['Username']));
        if (!user || body['ConfirmationCode'] !== codes.signUp) return fail('CodeMismatchException', 'Invalid verification code provided, please try again.');
        user.confirmed = true;
        return ok();
      }
      case 'ResendConfirmationCode':
      case 'ForgotPassword': {
        const email = String(body['Username']);
        return ok(delivery(email));
      }
      case 'ConfirmForgotPassword': {
        const user = users.get(String(body['Username']));
        if (!user || body['ConfirmationCode'] !== codes.reset) return fail('CodeMismatchException', 'Invalid verification code provided, please try again.');
        user.password = String(body['Password']);
        return ok();
      }
      case 'InitiateAuth': {
        const params = body['AuthParameters'] as Record<string, string>;
        if (body['AuthFlow'] === 'REFRESH_TOKEN_AUTH') {
          const email = refreshTokens.get(params['REFRESH_TOKEN'] ?? '');
          const user = email === undefined ? undefined : users.get(email);
          return user ? ok(tokensFor(user, false)) : fail('NotAuthorizedException', 'Invalid Refresh Token');
        }
        if (body['AuthFlow'] !== 'USER_PASSWORD_AUTH') return fail('InvalidParameterException', 'Auth flow not enabled for this client');
        const user = users.get(params['USERNAME'] ?? '');
        if (!user || user.password !== params['PASSWORD']) return fail('NotAuthorizedException', 'Incorrect username or password.');
        if (!user.confirmed) return fail('UserNotConfirmedException', 'User is not confirmed.');
        return afterPassword(user);
      }
      case 'RespondToAuthChallenge': {
        const email = sessions.get(String(body['Session']));
        const user = email === undefined ? undefined : users.get(email);
        if (!user) return fail('NotAuthorizedException', 'Invalid session for the user.');
        const answers = body['ChallengeResponses'] as Record<string, string>;
        if (answers['USERNAME'] !== user.sub) return fail('NotAuthorizedException', 'Incorrect username.');
        if (body['ChallengeName'] === 'NEW_PASSWORD_REQUIRED') {
          user.password = answers['NEW_PASSWORD'] ?? '';
          user.mustChangePassword = false;
          return afterPassword(user);
        }
        if (body['ChallengeName'] === 'SOFTWARE_TOKEN_MFA') {
          return answers['SOFTWARE_TOKEN_MFA_CODE'] === '000000' ? ok(tokensFor(user)) : fail('CodeMismatchException', 'Invalid code received for user');
        }
        return fail('InvalidParameterException', 'Unknown challenge.');
      }
      case 'UpdateUserAttributes': {
        const email = accessTokens.get(String(body['AccessToken']));
        const user = email === undefined ? undefined : users.get(email);
        if (!user) return fail('NotAuthorizedException', 'Invalid Access Token');
        for (const { Name, Value } of body['UserAttributes'] as Array<{ Name: string; Value: string }>) {
          if (Name === 'name') user.name = Value;
        }
        return ok({ CodeDeliveryDetailsList: [] });
      }
      case 'RevokeToken':
        refreshTokens.delete(String(body['Token']));
        return ok();
      default:
        return fail('InvalidAction', `Unexpected operation ${target}.`);
    }
  }

  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const target = String(headers['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
    const { status, body } = handle(target, JSON.parse(String(init?.body ?? '{}')) as Record<string, any>);
    urls.add(String(url));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.1' } });
  }) as typeof fetch;

  /** Adds a confirmed user (as an administrator would create one). */
  const addUser = (user: Omit<FakeCognitoUser, 'sub' | 'confirmed'> & Partial<Pick<FakeCognitoUser, 'sub' | 'confirmed'>>) => {
    counter += 1;
    const created: FakeCognitoUser = { sub: `9f0c2d4e-1111-4222-8333-${String(counter).padStart(12, '0')}`, confirmed: true, ...user };
    users.set(created.email, created);
    return created;
  };

  return { handle, fetchImpl, calls, urls, users, codes, addUser, clientId };
}

export type FakeCognito = ReturnType<typeof fakeCognito>;
