import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksNotAvailableInCacheError, JwksValidationError, JwtBaseError } from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { identityFromClaims } from '../domain/claims';
import type { Identity } from '../domain/types';
import { ENV, requireEnv } from '../wiring/env';

/** A verified ID token: who it speaks for and when it expires (epoch seconds). */
export interface VerifiedToken {
  readonly identity: Identity;
  readonly expiresAt: number;
}

/**
 * JWKS are fetched with the platform's fetch, which speaks both https (AWS,
 * Cognito) and plain http (a local identity provider on loopback); the
 * library's default fetcher speaks https only.
 */
const jwksCache = new SimpleJwksCache({
  fetcher: {
    fetch: async (uri) => {
      const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) throw new Error(`JWKS request failed with status ${response.status}`);
      return response.arrayBuffer();
    },
  },
});

let verifier: { verify(token: string): Promise<Record<string, unknown> & { exp: number }> } | undefined;

/** Built on first use from JWT_ISSUER, JWT_AUDIENCE and JWKS_URI, which the function's bindTokenVerification() sets. */
function verifierFromEnv() {
  if (verifier !== undefined) return verifier;
  const issuer = requireEnv(ENV.jwtIssuer);
  const created = JwtVerifier.create(
    {
      issuer,
      audience: requireEnv(ENV.jwtAudience),
      jwksUri: process.env[ENV.jwksUri] || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    },
    { jwksCache },
  );
  verifier = { verify: (token) => created.verify(token) as Promise<Record<string, unknown> & { exp: number }> };
  return verifier;
}

/**
 * Verifies a user's ID token (signature, issuer, audience, expiry) and
 * returns the identity it speaks for. The WebSocket API's $connect
 * authorizer and the HTTP API's edge both trust tokens through this one
 * function. Rejects with the library's error; `isTokenProblem` tells a bad
 * token from a key set that could not be fetched.
 */
export async function verifyIdToken(token: string): Promise<VerifiedToken> {
  const claims = await verifierFromEnv().verify(token);
  return { identity: identityFromClaims(claims), expiresAt: claims.exp };
}

/**
 * Whether verification failed because of the token itself (malformed, bad
 * signature, unknown key, wrong issuer or audience, expired): the caller is
 * refused. Anything else (the key set could not be fetched or read) says
 * nothing about the token, so the request fails as the server's fault,
 * which a client may retry, instead of telling a good token's holder it is bad.
 */
export const isTokenProblem = (error: unknown): boolean =>
  error instanceof JwtBaseError &&
  !(error instanceof FetchError || error instanceof JwksValidationError || error instanceof JwksNotAvailableInCacheError);
