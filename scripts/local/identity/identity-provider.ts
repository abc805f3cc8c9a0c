import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

/**
 * Parley's local identity provider: an RS256 key pair kept in the data
 * folder (so tokens survive restarts), the JWKS the authorizer fetches, and
 * tokens signed with it. The issuer does not depend on any port, so a token
 * stays valid when the runtime moves to other ports.
 */
export const LOCAL_ISSUER = 'https://idp.parley.localhost';
export const LOCAL_AUDIENCE = 'parley-local';

export interface LocalIdentityProvider {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: { keys: JWK[] };
  /**
   * Signs a token for a person; `sub` is a stable id derived from the name,
   * and the `name` claim is `displayName` when given (a name chosen in
   * Parley), else the name itself.
   */
  issueToken(name: string, options?: { expiresInSeconds?: number; displayName?: string }): Promise<string>;
}

const keyFile = (dataDir: string) => join(dataDir, 'identity', 'signing-key.json');

/** A stable user id for a name: the same name always gets the same id. */
const userIdOf = (name: string): string =>
  `local-${createHash('sha256').update(name.trim().toLowerCase()).digest('hex').slice(0, 16)}`;

/** Loads the signing key from the data folder, creating it on first use. */
export async function loadIdentityProvider(dataDir: string): Promise<LocalIdentityProvider> {
  const file = keyFile(dataDir);
  let privateJwk: JWK;
  if (existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: `parley-${Date.now().toString(36)}` };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const signingKey = await importJWK(privateJwk, 'RS256');
  return {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwks: { keys: [publicJwk] },
    async issueToken(name, options = {}) {
      const signInName = name.trim();
      return new SignJWT({ name: options.displayName?.trim() || signInName })
        .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid ?? 'parley', typ: 'JWT' })
        .setSubject(userIdOf(signInName))
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 30 * 86_400))
        .sign(signingKey);
    },
  };
}
