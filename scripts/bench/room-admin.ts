/**
 * What room administration costs as a room grows: the DynamoDB requests and
 * the time of a rename (updateRoom rewrites every membership's copy), a
 * preview (getRoom counts the members), a directory search and a deletion,
 * with the real adapters against DynamoDB Local. Every member has one live
 * connection; the management API is replaced by a counter.
 *
 *   npx tsx scripts/bench/room-admin.ts
 */
import { DynamoConnectionRepository } from '../../lambdas/adapters/dynamodb/connection-repository';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { DynamoRoomRepository } from '../../lambdas/adapters/dynamodb/room-repository';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { createIdGenerator } from '../../lambdas/domain/ids';
import type { ConnectionGateway } from '../../lambdas/domain/ports';
import { deleteRoom, type DeleteRoomDeps } from '../../lambdas/use-cases/delete-room';
import { getRoom } from '../../lambdas/use-cases/get-room';
import { searchRooms } from '../../lambdas/use-cases/search-rooms';
import { updateRoom } from '../../lambdas/use-cases/update-room';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { table } from './dynamodb-requests';
import { countingDynamoDb } from './support';

const REGION = 'eu-west-1';
const ACTIONS = ['updateRoom', 'getRoom (preview)', 'searchRooms', 'deleteRoom'] as const;

export interface RoomAdminRow {
  readonly members: number;
  readonly action: (typeof ACTIONS)[number];
  readonly requests: number;
  readonly byOperation: Record<string, number>;
  readonly posts: number;
  readonly ms: number;
}

export async function runRoomAdminBenchmark(sizes: readonly number[] = [10, 100, 500]): Promise<RoomAdminRow[]> {
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const ids = { rooms: 'bench-rooms', messages: 'bench-messages', connections: 'bench-connections' };
    const { byUserIndex, publicRoomsIndex, nameIndex } = ROOMS_TABLE;
    await ensureTable(engine.client, table(ids.rooms, ROOMS_TABLE.partitionKey, ROOMS_TABLE.sortKey, [byUserIndex, publicRoomsIndex, nameIndex]));
    await ensureTable(engine.client, table(ids.messages, MESSAGES_TABLE.partitionKey, MESSAGES_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.connections, CONNECTIONS_TABLE.partitionKey, CONNECTIONS_TABLE.sortKey));

    const { raw, client, counts } = countingDynamoDb(engine.endpoint, REGION);
    let posts = 0;
    const gateway: ConnectionGateway = {
      post: async () => {
        posts += 1;
        return 'delivered';
      },
    };
    const deps: DeleteRoomDeps = {
      rooms: new DynamoRoomRepository(client, ids.rooms),
      connections: new DynamoConnectionRepository(client, ids.connections),
      gateway,
      clock: { now: () => Date.now() },
      nextId: createIdGenerator(),
      audit: { record: async () => undefined },
      // The purge job is one SendMessage, outside DynamoDB's count measured here.
      purges: { enqueue: async () => undefined },
    };
    const messages = new DynamoMessageRepository(client, ids.messages);
    const owner = { userId: 'owner', displayName: 'Owner' };
    const visitor = { userId: 'visitor', displayName: 'Visitor' };

    const rows: RoomAdminRow[] = [];
    for (const size of sizes) {
      const roomId = `bench-room-${size}`;
      const name = `Bench ${size}`;
      const now = new Date().toISOString();
      await deps.rooms.createRoom(
        { roomId, name, visibility: 'public', ownerId: owner.userId, createdAt: now },
        { roomId, userId: owner.userId, displayName: owner.displayName, role: 'owner', joinedAt: now },
      );
      for (let i = 1; i < size; i += 1) {
        const userId = `m${size}-${i}`;
        await deps.rooms.putMembership({ roomId, userId, displayName: 'Member', role: 'member', joinedAt: now });
        await deps.connections.saveConnection({ connectionId: `c${size}-${i}`, userId, displayName: 'Member', connectedAt: now }, [roomId]);
      }

      const measure = async (action: RoomAdminRow['action'], run: () => Promise<unknown>) => {
        for (const key of Object.keys(counts)) delete counts[key];
        posts = 0;
        const started = performance.now();
        await run();
        const ms = Math.round(performance.now() - started);
        const byOperation = { ...counts };
        rows.push({ members: size, action, requests: Object.values(byOperation).reduce((a, b) => a + b, 0), byOperation, posts, ms });
      };
      const renamed = `${name} renamed`;
      await measure('updateRoom', () => updateRoom(deps, owner, { roomId, name: renamed }));
      await measure('getRoom (preview)', () => getRoom({ rooms: deps.rooms, messages }, visitor, { roomId }));
      await measure('searchRooms', () => searchRooms(deps, { query: renamed, limit: 20 }));
      await measure('deleteRoom', () => deleteRoom(deps, owner, { roomId, confirm: renamed }));
    }
    raw.destroy();
    return rows;
  } finally {
    await engine.stop();
  }
}

export function formatRoomAdmin(rows: readonly RoomAdminRow[]): string {
  const lines = ['| members | action | DynamoDB requests | by operation | posts | ms |', '|---:|---|---:|---|---:|---:|'];
  for (const r of rows) {
    const ops = Object.entries(r.byOperation)
      .sort()
      .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
      .join(', ');
    lines.push(`| ${r.members} | ${r.action} | ${r.requests} | ${ops} | ${r.posts} | ${r.ms} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('Room administration against DynamoDB Local, by room size\n');
  console.log(formatRoomAdmin(await runRoomAdminBenchmark()));
}
