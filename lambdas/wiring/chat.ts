import { ManagementApiGateway } from '../adapters/apigateway/connection-gateway';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { DynamoConnectionRepository } from '../adapters/dynamodb/connection-repository';
import { DynamoMessageRepository } from '../adapters/dynamodb/message-repository';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter';
import { DynamoRoomRepository } from '../adapters/dynamodb/room-repository';
import { DynamoSendContextReader } from '../adapters/dynamodb/send-context-reader';
import { createIdGenerator } from '../domain/ids';
import type { Clock } from '../domain/ports';
import { dynamoDocumentClient, managementApiClient } from './clients';
import type { RoomDeps } from '../use-cases/room-deps';
import { ENV, intEnv, requireEnv } from './env';

/**
 * The chat core's wiring: builders for the adapters the room, message and
 * connection handlers use (and every feature shares), each from the
 * environment variable the granting construct sets. Handlers call them once,
 * at cold start.
 */
export const systemClock: Clock = { now: () => Date.now() };

export const nextId = createIdGenerator();

export const roomRepository = () => new DynamoRoomRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** What sendMessage reads before writing (membership and moderation settings), in one request. */
export const sendContextReader = () =>
  new DynamoSendContextReader(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

export const messageRepository = () =>
  new DynamoMessageRepository(dynamoDocumentClient(), requireEnv(ENV.messagesTable));

export const connectionRepository = () =>
  new DynamoConnectionRepository(dynamoDocumentClient(), requireEnv(ENV.connectionsTable));

export const connectionGateway = () =>
  new ManagementApiGateway(managementApiClient(requireEnv(ENV.managementEndpoint)));

export const rateLimiter = () =>
  new DynamoRateLimiter(dynamoDocumentClient(), requireEnv(ENV.connectionsTable), {
    perSecond: intEnv(ENV.rateLimitPerSecond, 5),
    burst: intEnv(ENV.rateLimitBurst, 10),
    clock: systemClock,
  });

/**
 * The per-user budget every changing action spends at the edge (ws-action.ts),
 * kept apart from the message budget: someone sending quickly can still
 * manage their rooms, and a script that floods changes cannot send faster.
 */
export const actionRateLimiter = () =>
  new DynamoRateLimiter(dynamoDocumentClient(), requireEnv(ENV.connectionsTable), {
    perSecond: intEnv(ENV.actionRateLimitPerSecond, 2),
    burst: intEnv(ENV.actionRateLimitBurst, 30),
    clock: systemClock,
  });

/** The room's audit trail (append-only; the table's construct grants PutItem only). */
export const auditLog = () => new DynamoAuditLog(dynamoDocumentClient(), requireEnv(ENV.auditTable));

/** What every room action shares (use-cases/room-deps.ts): rooms, connections, posts, the clock, ids and the audit trail. */
export const roomDeps = (): RoomDeps => ({
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  clock: systemClock,
  nextId,
  audit: auditLog(),
});
