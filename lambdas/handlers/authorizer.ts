import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksNotAvailableInCacheError, JwksValidationError, JwtBaseError } from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeJwt } from 'jose';
import { JOSEError } from 'jose/errors';
import { identityFromClaims } from '../domain/claims';
import { ParleyError } from '../domain/errors';
import { GUEST_ISSUER, guestDisplayName, type GuestTokenVerifier } from '../domain/guests';
import { guestTokens } from '../wiring/guests';
import { logger } from '../shared/observability';
import { ENV, GUEST_ENV, optionalEnv, requireEnv } from '../wiring/env';

const issuer = requireEnv(ENV.jwtIssuer);

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

const verifier = JwtVerifier.create(
  {
    issuer,
    audience: requireEnv(ENV.jwtAudience),
    jwksUri: process.env[ENV.jwksUri] || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
  },
  { jwksCache },
);

/** Guest tokens' verifier, built on the first guest token; none where guests are not configured. */
let guestVerifier: GuestTokenVerifier | undefined;
const verifyGuest = (token: string) => {
  if (optionalEnv(GUEST_ENV.tokenSecret) === undefined) throw new GuestTokenRefused('guests are not configured');
  guestVerifier ??= guestTokens();
  return guestVerifier.verify(token);
};

/** A guest token refused for what it is (not for a failure to check it). */
class GuestTokenRefused extends Error {
  override readonly name = 'GuestTokenRefused';
}

/** The token's issuer, read without verifying: it only chooses the verifier, which checks it again. */
const issuerOf = (token: string): unknown => {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
};

/**
 * Whether verification failed because of the token itself (malformed, bad
 * signature, unknown key, wrong issuer or audience, expired): that is a Deny.
 * Anything else (the key set could not be fetched or read) says nothing about
 * the token, so it fails the invocation and API Gateway answers 500, which a
 * client may retry, instead of telling a good token's holder it is bad.
 */
const isTokenProblem = (error: unknown): boolean =>
  error instanceof JOSEError ||
  error instanceof GuestTokenRefused ||
  (error instanceof ParleyError && error.exposeMessage) ||
  (error instanceof JwtBaseError &&
  !(error instanceof FetchError || error instanceof JwksValidationError || error instanceof JwksNotAvailableInCacheError));

const policy = (effect: 'Allow' | 'Deny', resource: string, principalId: string): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
});

/**
 * The $connect authorizer: verifies the JWT in the `token` query parameter
 * and hands the user's id and display name to every route of the
 * connection. No token: 401. A bad or expired token: 403. A key set that
 * cannot be fetched: 500.
 *
 * A token whose issuer is `parley-guest` is a guest token (guests.ts),
 * verified with Parley's own secret instead of the identity provider's keys:
 * the guest's name is marked as a guest's, and `guestRoomId` confines the
 * connection to the token's room.
 */
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const token = event.queryStringParameters?.['token'];
    if (!token) {
      logger.info('connection refused', { reason: 'no token' });
      throw new Error('Unauthorized'); // API Gateway answers 401 to exactly this message
    }
    try {
      if (issuerOf(token) === GUEST_ISSUER) {
        const guest = await verifyGuest(token);
        return {
          ...policy('Allow', event.methodArn, guest.sub),
          context: { userId: guest.sub, displayName: guestDisplayName(guest.name), expiresAt: guest.exp, guestRoomId: guest.room },
        };
      }
      const claims = await verifier.verify(token);
      const identity = identityFromClaims(claims);
      return {
        ...policy('Allow', event.methodArn, identity.userId),
        // The token's expiry, so every later action on the connection can be refused once it passes.
        context: { userId: identity.userId, displayName: identity.displayName, expiresAt: claims.exp },
      };
    } catch (error) {
      if (!isTokenProblem(error)) {
        logger.error('token could not be checked', { reason: (error as Error).name });
        throw error;
      }
      logger.info('connection refused', { reason: (error as Error).name });
      return policy('Deny', event.methodArn, 'anonymous');
    }
  });
