import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { JOSEError } from 'jose/errors';
import { ParleyError } from '../domain/errors';
import { GUEST_ISSUER, guestDisplayName, type GuestTokenVerifier } from '../domain/guests';
import { logger } from '../shared/observability';
import { isTokenProblem, verifyIdToken } from '../shared/token-verifier';
import { ENV, GUEST_ENV, optionalEnv, requireEnv } from '../wiring/env';
import { guestTokens } from '../wiring/guests';

// Fails at cold start, not on the first connection, when the function was deployed without its issuer.
requireEnv(ENV.jwtIssuer);

/** A guest token refused for what it is (not for a failure to check it). */
class GuestTokenRefused extends Error {
  override readonly name = 'GuestTokenRefused';
}

/** Guest tokens' verifier, built on the first guest token; none where guests are not configured. */
let guestVerifier: GuestTokenVerifier | undefined;
const verifyGuest = (token: string) => {
  if (optionalEnv(GUEST_ENV.tokenSecret) === undefined) throw new GuestTokenRefused('guests are not configured');
  guestVerifier ??= guestTokens();
  return guestVerifier.verify(token);
};

/** The token's issuer, read without verifying: it only chooses the verifier, which checks it again. */
const issuerOf = (token: string): unknown => {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
};

/** A guest token's own failures (bad signature, expired, wrong claims) are the token's problem too. */
const isGuestTokenProblem = (error: unknown): boolean =>
  error instanceof JOSEError || error instanceof GuestTokenRefused || (error instanceof ParleyError && error.exposeMessage);

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
      const { identity, expiresAt } = await verifyIdToken(token);
      return {
        ...policy('Allow', event.methodArn, identity.userId),
        // The token's expiry, so every later action on the connection can be refused once it passes.
        context: { userId: identity.userId, displayName: identity.displayName, expiresAt },
      };
    } catch (error) {
      if (!isTokenProblem(error) && !isGuestTokenProblem(error)) {
        logger.error('token could not be checked', { reason: (error as Error).name });
        throw error;
      }
      logger.info('connection refused', { reason: (error as Error).name });
      return policy('Deny', event.methodArn, 'anonymous');
    }
  });
