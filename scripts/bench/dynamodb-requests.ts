/**
 * Counts the DynamoDB requests one sendMessage makes, against DynamoDB
 * Local, as a function of (a) all connections open in the system and (b) the
 * size of the room. The use case runs with the real adapters, moderation
 * included (the room's settings and agent roster are read before the
 * message is stored); only the management API is replaced by a counter (its
 * posts are counted, not sent).
 *
 *   npx tsx scripts/bench/dynamodb-requests.ts
 */
import { DynamoConnectionRepository } from '../../lambdas/adapters/dynamodb/connection-repository';
import { DynamoAgentRepository } from '../../lambdas/adapters/dynamodb/agent-repository';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { DynamoOriginalTextStore } from '../../lambdas/adapters/dynamodb/moderation-originals';
import { MODERATION_TABLE } from '../../lambdas/adapters/dynamodb/moderation-schema';
import { DynamoModerationSettingsRepository } from '../../lambdas/adapters/dynamodb/moderation-settings-repository';
import { DynamoRateLimiter } from '../../lambdas/adapters/dynamodb/rate-limiter';
import { DynamoRoomRepository } from '../../lambdas/adapters/dynamodb/room-repository';
import { DynamoSendContextReader } from '../../lambdas/adapters/dynamodb/send-context-reader';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { createIdGenerator } from '../../lambdas/domain/ids';
import type { ConnectionGateway } from '../../lambdas/domain/ports';
import { sendMessage } from '../../lambdas/use-cases/send-message';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import type { LocalTable } from '../local/model';
import { countingDynamoDb } from './support';

/** Messages kept forever: no policy read, as before retention existed. */
const FOREVER = { days: 'forever' as const, archiveDeletions: false, source: 'default' as const };

export const REGION = 'eu-west-1';

/** A table of DynamoDB Local with string keys and ALL-projected indexes, as the CDK app declares them. */
export const table = (
  tableName: string,
  pk: string,
  sk: string,
  indexes: Array<{ name: string; partitionKey: string; sortKey: string }> = [],
): LocalTable => {
  const names = new Set([pk, sk, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  return {
    key: tableName,
    tableName,
    arn: `arn:aws:dynamodb:${REGION}:000000000000:table/${tableName}`,
    keySchema: [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ],
    attributeDefinitions: [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    globalSecondaryIndexes: indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    localSecondaryIndexes: [],
  };
};

export interface RequestCountRow {
  readonly totalConnections: number;
  readonly roomConnections: number;
  readonly requests: Record<string, number>;
  readonly totalRequests: number;
  readonly posts: number;
}

export async function measureDynamoDbRequests(
  scenarios: ReadonlyArray<{ totalConnections: number; roomConnections: number }> = [
    { totalConnections: 100, roomConnections: 10 },
    { totalConnections: 1_000, roomConnections: 10 },
    { totalConnections: 5_000, roomConnections: 10 },
    { totalConnections: 5_000, roomConnections: 100 },
    { totalConnections: 5_000, roomConnections: 1_000 },
  ],
): Promise<RequestCountRow[]> {
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const ids = {
      rooms: 'bench-rooms',
      messages: 'bench-messages',
      connections: 'bench-connections',
      moderation: 'bench-moderation',
    };
    await ensureTable(engine.client, table(ids.rooms, ROOMS_TABLE.partitionKey, ROOMS_TABLE.sortKey, [ROOMS_TABLE.byUserIndex, ROOMS_TABLE.publicRoomsIndex]));
    await ensureTable(engine.client, table(ids.messages, MESSAGES_TABLE.partitionKey, MESSAGES_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.connections, CONNECTIONS_TABLE.partitionKey, CONNECTIONS_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.moderation, MODERATION_TABLE.partitionKey, MODERATION_TABLE.sortKey));

    const { raw, client, counts } = countingDynamoDb(engine.endpoint, REGION);
    const rooms = new DynamoRoomRepository(client, ids.rooms);
    const connections = new DynamoConnectionRepository(client, ids.connections);
    let posts = 0;
    const gateway: ConnectionGateway = {
      post: async () => {
        posts += 1;
        return 'delivered';
      },
    };
    const nextId = createIdGenerator();
    const clock = { now: () => Date.now() };
    const agents = new DynamoAgentRepository(client, ids.rooms);
    const deps = {
      context: new DynamoSendContextReader(client, ids.rooms),
      rooms,
      messages: new DynamoMessageRepository(client, ids.messages),
      // Messages kept forever: no policy read, as before retention existed.
      retention: {
        retentionOf: async () => FOREVER,
        held: () => FOREVER,
        keep: () => FOREVER,
      },
      connections,
      gateway,
      settings: new DynamoModerationSettingsRepository(client, ids.rooms),
      agents: { handles: async (roomId: string) => new Set((await agents.listAgents(roomId)).map((a) => a.handle)) },
      originals: new DynamoOriginalTextStore(client, ids.moderation, 30),
      rateLimiter: new DynamoRateLimiter(client, ids.connections, { perSecond: 1_000, burst: 1_000, clock }),
      clock,
      nextId,
      maxTextBytes: 4096,
    };

    const sender = { userId: 'sender', displayName: 'Sender' };
    let opened = 0; // connections opened so far, across scenarios (they accumulate like a live system)
    const rows: RequestCountRow[] = [];
    for (const [index, scenario] of scenarios.entries()) {
      const roomId = `room-${index}`;
      const now = new Date().toISOString();
      await rooms.createRoom(
        { roomId, name: roomId, visibility: 'public', ownerId: sender.userId, createdAt: now },
        { roomId, userId: sender.userId, displayName: 'Sender', role: 'owner', joinedAt: now },
      );
      // The room's own connections (one per member here)...
      for (let i = 0; i < scenario.roomConnections; i += 1) {
        await connections.saveConnection(
          { connectionId: `r${index}-c${i}`, userId: `r${index}-u${i}`, displayName: 'Member', connectedAt: now },
          [roomId],
        );
      }
      // ...and everyone else's, in other rooms, up to the total.
      const others = Math.max(0, scenario.totalConnections - scenario.roomConnections - opened);
      for (let i = 0; i < others; i += 1) {
        await connections.saveConnection(
          { connectionId: `o${opened + i}`, userId: `o${opened + i}`, displayName: 'Other', connectedAt: now },
          [`elsewhere-${(opened + i) % 50}`],
        );
      }
      opened += scenario.roomConnections + others;

      for (const key of Object.keys(counts)) delete counts[key];
      posts = 0;
      await sendMessage(deps, sender, { roomId, clientMessageId: `m-${index}`, text: 'hello' });
      rows.push({
        totalConnections: opened,
        roomConnections: scenario.roomConnections,
        requests: { ...counts },
        totalRequests: Object.values(counts).reduce((a, b) => a + b, 0),
        posts,
      });
    }
    raw.destroy();
    return rows;
  } finally {
    await engine.stop();
  }
}

export function formatRequestCounts(rows: readonly RequestCountRow[]): string {
  const lines = [
    '| open connections (total) | connections in the room | DynamoDB requests | by operation | posts |',
    '|---:|---:|---:|---|---:|',
  ];
  for (const r of rows) {
    const ops = Object.entries(r.requests)
      .sort()
      .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
      .join(', ');
    lines.push(`| ${r.totalConnections} | ${r.roomConnections} | ${r.totalRequests} | ${ops} | ${r.posts} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureDynamoDbRequests();
  console.log('DynamoDB requests made by one sendMessage\n');
  console.log(formatRequestCounts(rows));
}
