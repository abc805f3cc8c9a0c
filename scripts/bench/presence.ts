/**
 * The presence benchmark, in two parts.
 *
 * 1. `$connect` and `$disconnect` with presence, against DynamoDB Local with
 *    the real adapters: DynamoDB requests (by operation), posts and latency
 *    for a user's first connection and last disconnection when they belong
 *    to 1, 10 or 100 rooms, each room with 5 other members online. Posts are
 *    counted, not sent, so the latency is DynamoDB's and Parley's own.
 * 2. Typing on the local runtime (`npm start`, real WebSockets): a room of
 *    100 members where 10 type at once, each sending a notice at the
 *    cadence of the web client (at the first keystroke, then every 3 s):
 *    the typing frames the room's members receive per second.
 *
 *   npm run bench -- presence
 */
import { DynamoConnectionRepository } from '../../lambdas/adapters/dynamodb/connection-repository';
import { DynamoPresenceRepository } from '../../lambdas/adapters/dynamodb/presence-repository';
import { DynamoProfileRepository } from '../../lambdas/adapters/dynamodb/profile-repository';
import { DynamoRoomRepository } from '../../lambdas/adapters/dynamodb/room-repository';
import { CONNECTIONS_TABLE, ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import type { ConnectionGateway } from '../../lambdas/domain/ports';
import { TYPING_RESEND_MS } from '../../lambdas/domain/presence/typing';
import { connectUser } from '../../lambdas/use-cases/connect-user';
import { goOffline } from '../../lambdas/use-cases/presence/go-offline';
import { goOnline } from '../../lambdas/use-cases/presence/go-online';
import { ConnectionRefusedError, type Frame, startLocalParley, type TestClient } from '../../test/support/local-parley';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { table } from './dynamodb-requests';
import { countingDynamoDb, pool } from './support';

const REGION = 'eu-west-1';
const OTHERS_PER_ROOM = 5;
const RUNS = 3;

export interface PresenceConnectRow {
  readonly rooms: number;
  readonly event: '$connect (first)' | '$disconnect (last)';
  readonly run: number;
  readonly requests: Record<string, number>;
  readonly totalRequests: number;
  readonly posts: number;
  readonly ms: number;
}

export async function measurePresenceConnect(roomCounts: readonly number[] = [1, 10, 100]): Promise<PresenceConnectRow[]> {
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const ids = { rooms: 'bench-presence-rooms', connections: 'bench-presence-connections' };
    await ensureTable(engine.client, table(ids.rooms, ROOMS_TABLE.partitionKey, ROOMS_TABLE.sortKey, [ROOMS_TABLE.byUserIndex, ROOMS_TABLE.publicRoomsIndex]));
    await ensureTable(engine.client, table(ids.connections, CONNECTIONS_TABLE.partitionKey, CONNECTIONS_TABLE.sortKey));
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
    const deps = {
      rooms,
      connections,
      gateway,
      profiles: new DynamoProfileRepository(client, ids.rooms),
      presence: new DynamoPresenceRepository(client, ids.connections),
      clock: { now: () => Date.now() },
    };

    const rows: PresenceConnectRow[] = [];
    const now = () => new Date().toISOString();
    for (const roomCount of roomCounts) {
      // The rooms, each with its owner and other members online.
      const roomIds = Array.from({ length: roomCount }, (_, r) => `r${roomCount}-${r}`);
      await pool(roomIds, 8, async (roomId) => {
        const ownerId = `${roomId}-owner`;
        await rooms.createRoom(
          { roomId, name: roomId, visibility: 'public', ownerId, createdAt: now() },
          { roomId, userId: ownerId, displayName: 'Owner', role: 'owner', joinedAt: now() },
        );
        for (let i = 0; i < OTHERS_PER_ROOM; i += 1) {
          await connections.saveConnection({ connectionId: `${roomId}-c${i}`, userId: `${roomId}-m${i}`, displayName: 'Member', connectedAt: now() }, [roomId]);
        }
      });
      for (let run = 1; run <= RUNS; run += 1) {
        // A new person each run, so each run's $connect is a first connection.
        const identity = { userId: `u${roomCount}-${run}`, displayName: 'Bench' };
        await pool(roomIds, 8, async (roomId) => {
          await rooms.putMembership({ roomId, userId: identity.userId, displayName: 'Bench', role: 'member', joinedAt: now() });
        });
        const connectionId = `bench-${roomCount}-${run}`;
        const connectedAt = Date.now();

        for (const key of Object.keys(counts)) delete counts[key];
        posts = 0;
        let started = performance.now();
        const { roomIds: subscribed } = await connectUser(deps, identity, connectionId, connectedAt);
        await goOnline(deps, identity, connectedAt, subscribed);
        rows.push(row(roomCount, '$connect (first)', run, counts, posts, performance.now() - started));

        for (const key of Object.keys(counts)) delete counts[key];
        posts = 0;
        started = performance.now();
        await connections.removeConnection(connectionId);
        await goOffline(deps, identity, connectedAt);
        rows.push(row(roomCount, '$disconnect (last)', run, counts, posts, performance.now() - started));
      }
    }
    raw.destroy();
    return rows;
  } finally {
    await engine.stop();
  }
}

const row = (
  rooms: number,
  event: PresenceConnectRow['event'],
  run: number,
  counts: Record<string, number>,
  posts: number,
  ms: number,
): PresenceConnectRow => ({
  rooms,
  event,
  run,
  requests: { ...counts },
  totalRequests: Object.values(counts).reduce((a, b) => a + b, 0),
  posts,
  ms,
});

export interface TypingRow {
  readonly run: number;
  readonly members: number;
  readonly typists: number;
  readonly notices: number;
  readonly refused: number;
  readonly framesReceived: number;
  readonly expectedFrames: number;
  readonly seconds: number;
  readonly framesPerSecond: number;
  readonly perMemberPerSecond: number;
}

export async function measureTypingFanOut(
  members = 100,
  typists = 10,
  noticesEach = 3,
  log: (line: string) => void = () => undefined,
): Promise<TypingRow[]> {
  log('Starting the local runtime…');
  const runtime = await startLocalParley();
  try {
    log(`Connecting ${members} members…`);
    const clients: TestClient[] = new Array(members);
    // A few at a time, and again when a $connect is refused: on a busy
    // machine the local runtime can time one out.
    await pool(
      Array.from({ length: members }, (_, i) => i),
      5,
      async (i) => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            clients[i] = await runtime.connect(`typing-bench-${i}`);
            return;
          } catch (error) {
            if (!(error instanceof ConnectionRefusedError) || attempt >= 3) throw error;
          }
        }
      },
    );
    const owner = clients[0] as TestClient;
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'typing bench' });
    await pool(clients.slice(1), 5, async (c) => {
      await c.ok('joinRoom', { roomId: room.roomId });
    });
    // Acks can take long on a busy machine: wait up to a minute, not the test client's 10 s.
    let requestCount = 0;
    const typing = (c: TestClient): Promise<Frame> => {
      const requestId = `bench-typing-${(requestCount += 1)}`;
      c.send(JSON.stringify({ action: 'typing', roomId: room.roomId, requestId }));
      return c.waitFor((f) => f.requestId === requestId && (f.type === 'ack' || f.type === 'error'), 60_000);
    };
    const isTyping = (f: Frame) => f.type === 'typing' && f['roomId'] === room.roomId;
    const received = () => clients.reduce((n, c) => n + c.frames.filter(isTyping).length, 0);

    // Unmeasured: one notice from each typist brings the function instances up.
    const senders = clients.slice(1, 1 + typists);
    await Promise.all(senders.map(typing));
    await new Promise((resolve) => setTimeout(resolve, TYPING_RESEND_MS * 2));

    const rows: TypingRow[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const before = received();
      const expectedFrames = typists * noticesEach * (members - 1);
      let refused = 0;
      const started = performance.now();
      for (let round = 0; round < noticesEach; round += 1) {
        const answers = await Promise.all(senders.map(typing));
        refused += answers.filter((a) => a.type === 'error').length;
        if (round < noticesEach - 1) await new Promise((resolve) => setTimeout(resolve, TYPING_RESEND_MS));
      }
      const deadline = Date.now() + 60_000;
      while (received() - before < expectedFrames - refused * (members - 1) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const lastFrameAt = performance.now();
      const framesReceived = received() - before;
      const seconds = (lastFrameAt - started) / 1000;
      rows.push({
        run,
        members,
        typists,
        notices: typists * noticesEach,
        refused,
        framesReceived,
        expectedFrames,
        seconds,
        framesPerSecond: framesReceived / seconds,
        perMemberPerSecond: framesReceived / seconds / members,
      });
      log(`run ${run}: ${framesReceived} typing frames in ${seconds.toFixed(1)} s`);
      // Let the typing limit refill before the next run.
      await new Promise((resolve) => setTimeout(resolve, TYPING_RESEND_MS * 2));
    }
    return rows;
  } finally {
    await runtime.stop();
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

export function formatPresence(connectRows: readonly PresenceConnectRow[], typingRows: readonly TypingRow[]): string {
  const lines = [
    `**$connect / $disconnect with presence** (DynamoDB Local, real adapters; each room has ${OTHERS_PER_ROOM} other members online; posts counted, not sent; ${RUNS} runs)`,
    '',
    '| rooms of the user | event | DynamoDB requests | by operation | posts | latency, ms (runs) | median ms |',
    '|---:|---|---:|---|---:|---|---:|',
  ];
  const groups = new Map<string, PresenceConnectRow[]>();
  for (const r of connectRows) {
    const key = `${r.rooms}|${r.event}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const first = group[0] as PresenceConnectRow;
    const ops = Object.entries(first.requests)
      .sort()
      .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
      .join(', ');
    const ms = group.map((r) => r.ms);
    lines.push(
      `| ${first.rooms} | ${first.event} | ${first.totalRequests} | ${ops} | ${first.posts} | ${ms.map((m) => m.toFixed(0)).join(', ')} | ${median(ms).toFixed(0)} |`,
    );
  }
  lines.push(
    '',
    `**Typing in one room** (local runtime, real WebSockets; each typist sends a notice every ${TYPING_RESEND_MS / 1000} s, as the web client does)`,
    '',
    '| run | members | typists | notices sent | refused | typing frames received (expected) | seconds | frames/s, whole room | frames/s per member |',
    '|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  );
  for (const r of typingRows) {
    lines.push(
      `| ${r.run} | ${r.members} | ${r.typists} | ${r.notices} | ${r.refused} | ${r.framesReceived} (${r.expectedFrames}) | ${r.seconds.toFixed(1)} | ${r.framesPerSecond.toFixed(0)} | ${r.perMemberPerSecond.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

export async function runPresenceBenchmark(log: (line: string) => void = () => undefined): Promise<string> {
  log('presence: $connect and $disconnect against DynamoDB Local…');
  const connectRows = await measurePresenceConnect();
  log(formatPresence(connectRows, []));
  const typingRows = await measureTypingFanOut(100, 10, 3, log);
  return formatPresence(connectRows, typingRows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runPresenceBenchmark((line) => process.stderr.write(`  ${line}\n`)));
}
