import { describe, expect, it } from 'vitest';
import {
  claimsOf,
  createTokenSource,
  identityOf,
  loadSession,
  saveSession,
  sessionFromToken,
  SessionExpiredError,
  type Session,
} from '../../../web/src/auth/session';
import { parseConfig } from '../../../web/src/config';

/** An unsigned JWT with the given claims (the client never verifies signatures). */
const jwt = (claims: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

const memoryStore = () => {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
};

describe('session', () => {
  it('reads who the token speaks for by the authorizer’s rule', () => {
    const token = jwt({ sub: 'local-1', name: 'Zoë 🦊', exp: 2_000_000_000 });

    const session = sessionFromToken('local', token);

    expect(claimsOf(token)['name']).toBe('Zoë 🦊');
    expect(identityOf(session)).toEqual({ userId: 'local-1', displayName: 'Zoë 🦊' });
    expect(session.expiresAt).toBe(2_000_000_000_000);
  });

  it('restores a stored session that is still valid and drops an expired one', () => {
    const store = memoryStore();
    const now = 1_900_000_000_000;
    saveSession(store, sessionFromToken('local', jwt({ sub: 'u', exp: now / 1000 + 3600 })));
    const valid = loadSession(store, now);
    saveSession(store, sessionFromToken('local', jwt({ sub: 'u', exp: now / 1000 - 1 })));
    const expired = loadSession(store, now);
    store.setItem('parley.session', '{not json');

    expect(valid?.kind).toBe('local');
    expect(expired).toBeUndefined();
    expect(loadSession(store, now)).toBeUndefined();
  });

  it('keeps the access token and the local sign-in name across a reload', () => {
    const store = memoryStore();
    const now = 1_900_000_000_000;
    const token = jwt({ sub: 'u', exp: now / 1000 + 3600 });
    saveSession(store, sessionFromToken('cognito', token, 'refresh', { accessToken: 'access' }));
    const cognito = loadSession(store, now);
    saveSession(store, sessionFromToken('local', token, undefined, { signInName: 'alice' }));
    const local = loadSession(store, now);

    expect(cognito).toMatchObject({ refreshToken: 'refresh', accessToken: 'access' });
    expect(local).toMatchObject({ kind: 'local', signInName: 'alice' });
  });

  it('adopts a replacing session and reports it for saving', async () => {
    const saved: Session[] = [];
    const tokens = createTokenSource(sessionFromToken('local', jwt({ sub: 'u', name: 'a', exp: 2_000_000_000 })), {
      onRenewed: (s) => void saved.push(s),
    });
    const renamed = sessionFromToken('local', jwt({ sub: 'u', name: 'Alice', exp: 2_000_000_000 }), undefined, { signInName: 'a' });

    tokens.replace(renamed);

    expect(await tokens.getToken()).toBe(renamed.idToken);
    expect(saved).toEqual([renamed]);
  });

  it('renews a token about to expire once, however many connections ask', async () => {
    let now = 0;
    const initial: Session = { kind: 'cognito', idToken: 'old', refreshToken: 'r', expiresAt: 10 * 60_000 };
    let renewals = 0;
    const tokens = createTokenSource(initial, {
      now: () => now,
      renew: async () => {
        renewals += 1;
        return { ...initial, idToken: 'new', expiresAt: 70 * 60_000 };
      },
    });

    const early = await tokens.getToken();
    now = 9 * 60_000;
    const late = await Promise.all([tokens.getToken(), tokens.getToken()]);

    expect(early).toBe('old');
    expect(late).toEqual(['new', 'new']);
    expect(renewals).toBe(1);
  });

  it('ends a session that cannot be renewed', async () => {
    const tokens = createTokenSource({ kind: 'local', idToken: 't', expiresAt: 0 }, { now: () => 1 });

    await expect(tokens.getToken()).rejects.toBeInstanceOf(SessionExpiredError);
  });
});

describe('parseConfig', () => {
  it('accepts the local and the Cognito configuration', () => {
    expect(parseConfig({ wsUrl: 'ws://127.0.0.1:3001', auth: { kind: 'local', tokenUrl: '/local/token' } }).auth.kind).toBe('local');
    expect(
      parseConfig({
        wsUrl: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
        auth: { kind: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: 'c', selfSignUp: true },
      }).auth,
    ).toEqual({ kind: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: 'c', selfSignUp: true });
  });

  it('reads a configuration without selfSignUp as invite-only', () => {
    const auth = parseConfig({
      wsUrl: 'wss://x',
      auth: { kind: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: 'c' },
    }).auth;

    expect(auth).toMatchObject({ kind: 'cognito', selfSignUp: false });
  });

  it('takes the deployment’s edit window, Parley’s default without one, and refuses a window that is not whole seconds', () => {
    const local = { wsUrl: 'ws://127.0.0.1:3001', auth: { kind: 'local', tokenUrl: '/local/token' } };

    expect(parseConfig(local).editWindowSeconds).toBe(900);
    expect(parseConfig({ ...local, editWindowSeconds: 0 }).editWindowSeconds).toBe(0);
    expect(() => parseConfig({ ...local, editWindowSeconds: -1 })).toThrow('editWindowSeconds');
    expect(() => parseConfig({ ...local, editWindowSeconds: '60' })).toThrow('editWindowSeconds');
  });

  it('names what is wrong', () => {
    expect(() => parseConfig({ wsUrl: 'http://x', auth: { kind: 'local', tokenUrl: '/t' } })).toThrow('wsUrl must start with ws://');
    expect(() => parseConfig({ wsUrl: 'wss://x', auth: { kind: 'cognito', region: 'r', clientId: 'c' } })).toThrow(
      'auth.userPoolId is missing',
    );
    expect(() => parseConfig({ wsUrl: 'wss://x', auth: {} })).toThrow('auth.kind');
  });
});
