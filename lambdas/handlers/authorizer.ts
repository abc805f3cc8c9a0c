import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { logger } from '../shared/observability';
import { isTokenProblem, verifyIdToken } from '../shared/token-verifier';
import { ENV, requireEnv } from '../wiring/env';

// Fails at cold start, not on the first connection, when the function was deployed without its issuer.
requireEnv(ENV.jwtIssuer);

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
      const { identity, expiresAt } = await verifyIdToken(token);
      return {
        ...policy('Allow', event.methodArn, identity.userId),
        // The token's expiry, so every later action on the connection can be refused once it passes.
        context: { userId: identity.userId, displayName: identity.displayName, expiresAt },
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
