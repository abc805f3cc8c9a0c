import { identityFromClaims } from '../../../lambdas/domain/claims';
import type { Identity } from '../../../lambdas/domain/types';
import { t } from '../i18n';

/**
 * A signed-in session: the ID token the WebSocket handshake carries and,
 * with Cognito, the refresh token that renews it. Kept in sessionStorage:
 * it survives a reload, ends with the tab, and each tab may be someone else.
 */
export interface Session {
  readonly kind: 'local' | 'cognito';
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Cognito: for the user's own operations (changing the display name). */
  readonly accessToken?: string;
  /** Local: the name typed at sign-in, which the local identity provider derives the user id from. */
  readonly signInName?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What a session keeps besides its ID token. */
export type SessionExtras = Pick<Session, 'accessToken' | 'signInName'>;

/** The session ended and cannot be renewed: sign in again. */
export class SessionExpiredError extends Error {
  constructor() {
    super(t().errors.sessionEnded);
    this.name = 'SessionExpiredError';
  }
}

const STORAGE_KEY = 'parley.session';
/** Renew this long before expiry, so a reconnect never presents a token about to lapse. */
const RENEW_MARGIN_MS = 2 * 60_000;

/**
 * The claims of a JWT, unverified: the client only reads its own identity
 * from the token; Parley's authorizer is what verifies it.
 */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error(t().errors.notAToken);
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof claims !== 'object' || claims === null) throw new Error(t().errors.notAToken);
  return claims as Record<string, unknown>;
}

/** Who the token speaks for, by the same rule Parley's authorizer applies. */
export const identityOf = (session: Session): Identity => identityFromClaims(claimsOf(session.idToken));

export function sessionFromToken(kind: Session['kind'], idToken: string, refreshToken?: string, extras: SessionExtras = {}): Session {
  const exp = claimsOf(idToken)['exp'];
  return {
    kind,
    idToken,
    expiresAt: typeof exp === 'number' ? exp * 1000 : Date.now() + 3_600_000,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(extras.accessToken === undefined ? {} : { accessToken: extras.accessToken }),
    ...(extras.signInName === undefined ? {} : { signInName: extras.signInName }),
  };
}

const optionalText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function saveSession(store: KeyValueStore, session: Session): void {
  store.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(store: KeyValueStore): void {
  store.removeItem(STORAGE_KEY);
}

/** The stored session, if it is still usable (valid, or renewable). */
export function loadSession(store: KeyValueStore, now = Date.now()): Session | undefined {
  try {
    const value = JSON.parse(store.getItem(STORAGE_KEY) ?? 'null') as Partial<Session> | null;
    if (!value || (value.kind !== 'local' && value.kind !== 'cognito') || typeof value.idToken !== 'string') return undefined;
    const accessToken = optionalText(value.accessToken);
    const signInName = optionalText(value.signInName);
    const session = sessionFromToken(value.kind, value.idToken, optionalText(value.refreshToken), {
      ...(accessToken === undefined ? {} : { accessToken }),
      ...(signInName === undefined ? {} : { signInName }),
    });
    identityOf(session);
    return session.expiresAt - RENEW_MARGIN_MS > now || session.refreshToken !== undefined ? session : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hands out a valid ID token for each (re)connection, renewing it through
 * `renew` when it is about to expire; throws SessionExpiredError when it
 * cannot. Concurrent callers share one renewal.
 */
export function createTokenSource(
  initial: Session,
  options: {
    readonly renew?: (refreshToken: string) => Promise<Session>;
    readonly onRenewed?: (session: Session) => void;
    readonly now?: () => number;
  } = {},
): { getToken(): Promise<string>; replace(session: Session): void; readonly session: Session } {
  let session = initial;
  let renewing: Promise<Session> | undefined;
  const now = options.now ?? Date.now;
  return {
    get session() {
      return session;
    },
    /** Adopts a session obtained otherwise (new tokens after a display name change). */
    replace(next: Session) {
      session = next;
      options.onRenewed?.(session);
    },
    async getToken() {
      if (session.expiresAt - RENEW_MARGIN_MS > now()) return session.idToken;
      const { renew } = options;
      if (renew === undefined || session.refreshToken === undefined) throw new SessionExpiredError();
      renewing ??= renew(session.refreshToken).finally(() => {
        renewing = undefined;
      });
      try {
        session = await renewing;
      } catch (error) {
        // A refused refresh token will not work later either; a network failure might.
        if (error instanceof Error && error.name === 'CognitoError') throw new SessionExpiredError();
        throw error;
      }
      options.onRenewed?.(session);
      return session.idToken;
    },
  };
}
