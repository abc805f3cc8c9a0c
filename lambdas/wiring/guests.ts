import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter';
import { cachedSecret } from '../adapters/secrets/cached-secret';
import { JoseGuestTokens } from '../adapters/secrets/guest-token-signer';
import { SecretsManagerReader } from '../adapters/secrets/secrets-manager-reader';
import { dynamoDocumentClient, secretsManagerClient } from './clients';
import { systemClock } from './chat';
import { ENV, GUEST_ENV, intEnv, requireEnv } from './env';

/**
 * Guests' wiring: the token signer and verifier (the secret read from
 * Secrets Manager, kept five minutes so a rotated secret is picked up) and
 * the guest token rate limits, from the variables lib/guest-functions.ts and
 * ParleyFunction.bindGuestTokens set.
 */
const SECRET_TTL_MS = 5 * 60_000;

export const guestTokens = () =>
  new JoseGuestTokens(
    cachedSecret(new SecretsManagerReader(secretsManagerClient()), requireEnv(GUEST_ENV.tokenSecret), { ttlMs: SECRET_TTL_MS }),
    requireEnv(GUEST_ENV.tokenAudience),
  );

/** Guest tokens per source address: a script cannot mint guests by the thousand. */
export const guestTokenIpLimiter = () =>
  new DynamoRateLimiter(dynamoDocumentClient(), requireEnv(ENV.connectionsTable), {
    perSecond: intEnv(GUEST_ENV.perIpPerSecond, 1),
    burst: intEnv(GUEST_ENV.perIpBurst, 5),
    clock: systemClock,
  });

/** Guest tokens per room: many addresses together cannot flood one room with guests. */
export const guestTokenRoomLimiter = () =>
  new DynamoRateLimiter(dynamoDocumentClient(), requireEnv(ENV.connectionsTable), {
    perSecond: intEnv(GUEST_ENV.perRoomPerSecond, 5),
    burst: intEnv(GUEST_ENV.perRoomBurst, 50),
    clock: systemClock,
  });

export const guestWsUrl = (): string => requireEnv(GUEST_ENV.wsUrl);
