import { DynamoPresenceRepository } from '../adapters/dynamodb/presence-repository';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter';
import { DynamoReadStateRepository } from '../adapters/dynamodb/read-state-repository';
import { TYPING_LIMIT } from '../domain/presence/typing';
import { dynamoDocumentClient } from './clients';
import { systemClock } from './chat';
import { ENV, requireEnv } from './env';

/**
 * Presence, typing and read state: builders for their adapters, each from
 * the table variable the granting construct sets. Presence counts and the
 * typing limit live in the connections table, read marks in the rooms table.
 */
export const presenceRepository = () =>
  new DynamoPresenceRepository(dynamoDocumentClient(), requireEnv(ENV.connectionsTable));

export const readStateRepository = () =>
  new DynamoReadStateRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** Typing notices' own GCRA limit per person and room (TYPING_LIMIT), beside the send limit's items. */
export const typingLimiter = () =>
  new DynamoRateLimiter(dynamoDocumentClient(), requireEnv(ENV.connectionsTable), { ...TYPING_LIMIT, clock: systemClock });
