/**
 * The cost benchmark: what one message costs in billed units, measured on the
 * local runtime (started in this process; its functions run in worker
 * threads) with real WebSockets on loopback, for rooms of 10, 100 and 1,000
 * members (the room of 1,000: 1,000 connections of 40 people, see
 * LARGE_ROOM_PEOPLE) with 0, 1 and 2 agents that answer every message (trigger
 * `everyMessage`: the most an agent can cost; a mention-only agent costs the
 * same per message it answers). Per scenario, after the room is set up and the
 * system is quiet (after two unmeasured warm-up messages in rooms of up to
 * 100), eight messages (two in the 1,000-member room) are sent by five
 * members in turn, every 300 ms; the window closes once every member
 * has them, every agent has finished its replies and nothing has run for 1.5 s.
 * Counted in that window, divided by the messages:
 *
 * - Lambda invocations and CPU time per function: each worker thread measures
 *   its own CPU time (`process.threadCpuUsage()`, user + system) around every
 *   invocation, and its wall time;
 * - DynamoDB read and write request units: the functions reach DynamoDB Local
 *   through a proxy that asks for `ReturnConsumedCapacity: TOTAL` and adds up
 *   what DynamoDB reports (transactions doubled, see capacity-proxy.ts). The
 *   runtime's stream pollers go to DynamoDB directly: Lambda's reads of a
 *   table's stream are not billed;
 * - API Gateway messages: frames from clients, route responses (one per
 *   request) and PostToConnection calls (every other frame a client receives).
 *
 *   npm run bench -- cost
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';
import { LOCAL_CREDENTIALS } from '../local/engines/credentials';
import type { InvocationReport } from '../local/functions/function-pool';
import { type LocalParley, startLocalParley, type LocalService } from '../local/runtime';
import { LOCAL_SERVICES } from '../local/services';
import { type CapacityTotals, startCapacityProxy } from './capacity-proxy';
import { freePort, pool } from './support';

export interface CostScenario {
  /** Live connections in the room. */
  readonly members: number;
  /** People holding them (one connection each when absent; more are tabs of the same people). */
  readonly people?: number;
  readonly agents: number;
  readonly messages: number;
}

/** Room sizes to run: all, or those listed in PARLEY_COST_MEMBERS (e.g. `10,100`). */
const ROOM_SIZES = (process.env['PARLEY_COST_MEMBERS'] ?? '10,100,1000').split(',').map(Number);

/**
 * People in the rooms of 1,000: each person's first connection into a room
 * is announced to every live connection in it (a join, or presence on
 * $connect), so filling a room of N people posts about N²/2 frames, some
 * 500,000 for 1,000 people: more than half an hour on a shared 2-core
 * machine. 40 people with 25 tabs each make the same 1,000 connections for
 * about 800 such posts. A message's cost follows the connections it is
 * posted to, not the people behind them (sendMessage reads the sender's
 * membership only).
 */
const LARGE_ROOM_PEOPLE = Number(process.env['PARLEY_COST_PEOPLE'] ?? 40);

// Bounded for a shared 2-core machine: a 1,000-member room with two agents
// already means about 50,000 posts per message.
export const DEFAULT_COST_SCENARIOS: readonly CostScenario[] = ROOM_SIZES.flatMap((members) =>
  [0, 1, 2].map((agents) =>
    members >= 1_000
      ? { members, people: Math.min(members, LARGE_ROOM_PEOPLE), agents, messages: 2 }
      : { members, agents, messages: 8 },
  ),
);

/** What one scenario's window counted (totals, not per message). */
export interface CostCounts {
  readonly scenario: CostScenario;
  /** Messages people sent in the window. */
  readonly messages: number;
  /** By function name: invocations, thread CPU ms and wall ms. */
  readonly functions: Record<string, { invocations: number; cpuMs: number; durationMs: number; memoryMb: number }>;
  readonly dynamoDb: CapacityTotals;
  readonly framesIn: number;
  readonly routeResponses: number;
  readonly posts: number;
  readonly replies: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One scenario's figures per message. */
export interface CostPerMessage {
  readonly scenario: CostScenario;
  readonly invocations: number;
  readonly cpuMs: number;
  readonly durationMs: number;
  /** Lambda GB-seconds of wall time (each function's memory × its duration). */
  readonly gbSeconds: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly dynamoDbRequests: number;
  readonly framesIn: number;
  readonly routeResponses: number;
  readonly posts: number;
  /** Frames in + route responses + posts (each under 32 KB, so one metered message each). */
  readonly apiGatewayMessages: number;
  readonly repliesPerMessage: number;
  readonly inputTokensPerReply: number;
  readonly outputTokensPerReply: number;
  readonly byFunction: Record<string, { invocations: number; cpuMs: number }>;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Divides a scenario's window totals by the messages sent in it. */
export function perMessage(counts: CostCounts): CostPerMessage {
  const n = Math.max(1, counts.messages);
  const fns = Object.entries(counts.functions);
  const byFunction = Object.fromEntries(
    fns.map(([name, f]) => [name, { invocations: f.invocations / n, cpuMs: f.cpuMs / n }]),
  );
  return {
    scenario: counts.scenario,
    invocations: sum(fns.map(([, f]) => f.invocations)) / n,
    cpuMs: sum(fns.map(([, f]) => f.cpuMs)) / n,
    durationMs: sum(fns.map(([, f]) => f.durationMs)) / n,
    gbSeconds: sum(fns.map(([, f]) => (f.durationMs / 1000) * (f.memoryMb / 1024))) / n,
    readUnits: counts.dynamoDb.readUnits / n,
    writeUnits: counts.dynamoDb.writeUnits / n,
    dynamoDbRequests: sum(Object.values(counts.dynamoDb.requests)) / n,
    framesIn: counts.framesIn / n,
    routeResponses: counts.routeResponses / n,
    posts: counts.posts / n,
    apiGatewayMessages: (counts.framesIn + counts.routeResponses + counts.posts) / n,
    repliesPerMessage: counts.replies / n,
    inputTokensPerReply: counts.replies > 0 ? counts.inputTokens / counts.replies : 0,
    outputTokensPerReply: counts.replies > 0 ? counts.outputTokens / counts.replies : 0,
    byFunction,
  };
}

/** `Stack/SendMessageFunctionA1B2C3D4` → `SendMessage`. */
export function functionLabel(key: string): string {
  return (key.split('/').at(-1) ?? key).replace(/[0-9A-F]{8}$/, '').replace(/(Function|Handler|Fn)$/, '');
}

const fixed = (n: number) => (n === 0 ? '0' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString());
const room = (s: CostScenario) =>
  `${s.members.toLocaleString('en-US')} ${s.people !== undefined && s.people < s.members ? `connections of ${s.people} people` : 'members'}, ` +
  `${s.agents} agent${s.agents === 1 ? '' : 's'}`;

/** The measured figures per message, as markdown: one summary table and one per function. */
export function formatCost(rows: readonly CostPerMessage[], messages: readonly number[] = []): string {
  const lines = [
    'Per message (agents answer every message; the offline model replies).',
    '',
    '| room | messages | Lambda invocations | Lambda CPU-ms | Lambda wall ms | Lambda GB-s | DynamoDB RRU | DynamoDB WRU | DynamoDB requests | frames in | route responses | PostToConnection | API Gateway messages | replies · output tokens per reply |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  rows.forEach((r, i) => {
    const replies = r.repliesPerMessage > 0 ? `${fixed(r.repliesPerMessage)} · ${fixed(r.outputTokensPerReply)}` : '–';
    lines.push(
      `| ${room(r.scenario)} | ${messages[i] ?? r.scenario.messages} | ${fixed(r.invocations)} | ${fixed(r.cpuMs)} | ${fixed(r.durationMs)} | ${r.gbSeconds.toFixed(3)} | ` +
        `${fixed(r.readUnits)} | ${fixed(r.writeUnits)} | ${fixed(r.dynamoDbRequests)} | ${fixed(r.framesIn)} | ${fixed(r.routeResponses)} | ` +
        `${fixed(r.posts)} | ${fixed(r.apiGatewayMessages)} | ${replies} |`,
    );
  });
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.byFunction)))].sort();
  lines.push(
    '',
    'Per function, per message: invocations · thread CPU-ms.',
    '',
    `| function | ${rows.map((r) => `${r.scenario.members}/${r.scenario.agents}`).join(' | ')} |`,
    `|---|${rows.map(() => '---:').join('|')}|`,
  );
  for (const name of names) {
    const cells = rows.map((r) => {
      const f = r.byFunction[name];
      return f ? `${fixed(f.invocations)} · ${fixed(f.cpuMs)}` : '–';
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Columns of the second table: members/agents.');
  return lines.join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Frames every client received, and what the watching member saw. */
class Counter {
  received = 0;
  responses = 0;
  framesIn = 0;
  messagesSeen = 0;
  replies = 0;
  inputTokens = 0;
  outputTokens = 0;

  reset(): void {
    this.received = this.responses = this.framesIn = this.messagesSeen = 0;
    this.replies = this.inputTokens = this.outputTokens = 0;
  }
}

interface Client {
  readonly socket: WebSocket;
  request(action: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const openClient = (url: string, counter: Counter, watcher: boolean): Promise<Client> =>
  new Promise((resolveClient, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const pending = new Map<string, (frame: Record<string, unknown>) => void>();
    let next = 0;
    socket.on('message', (data) => {
      counter.received += 1;
      // Only request answers and the watcher's frames need parsing.
      if (!watcher && pending.size === 0) return;
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      const requestId = frame['requestId'];
      if (typeof requestId === 'string' && pending.has(requestId)) {
        counter.responses += 1;
        pending.get(requestId)?.(frame);
        pending.delete(requestId);
        return;
      }
      if (!watcher) return;
      if (frame['type'] === 'message' && String((frame['message'] as { text?: string }).text).startsWith('bench ')) {
        counter.messagesSeen += 1;
      } else if (frame['type'] === 'agentDone') {
        const agent = (frame['message'] as { agent?: { inputTokens?: number; outputTokens?: number } }).agent;
        counter.replies += 1;
        counter.inputTokens += agent?.inputTokens ?? 0;
        counter.outputTokens += agent?.outputTokens ?? 0;
      }
    });
    socket.once('open', () =>
      resolveClient({
        socket,
        request(action, payload) {
          const requestId = `r${next++}`;
          counter.framesIn += 1;
          return new Promise((done) => {
            pending.set(requestId, done);
            socket.send(JSON.stringify({ action, requestId, ...payload }));
          });
        },
      }),
    );
    socket.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });

const ok = async (client: Client, action: string, payload: Record<string, unknown>) => {
  const frame = await client.request(action, payload);
  if (frame['type'] !== 'ack') throw new Error(`${action} failed: ${JSON.stringify(frame)}`);
  return frame['data'] as Record<string, unknown>;
};

/**
 * The connections registered for a room (its `ROOM#<id>` items in the
 * connections table), counted on DynamoDB Local directly so the count stays
 * out of the measured units: what sendMessage will deliver to.
 */
async function liveRoomConnections(runtime: LocalParley, roomId: string): Promise<number> {
  const table = runtime.model.tables.find((t) => /Connections/.test(t.key));
  if (!table) throw new Error('The app has no connections table.');
  const client = new DynamoDBClient({ endpoint: runtime.dynamoDbEndpoint, region: runtime.model.region, credentials: LOCAL_CREDENTIALS });
  try {
    let count = 0;
    let startKey: QueryCommand['input']['ExclusiveStartKey'];
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
          ExpressionAttributeValues: { ':pk': { S: `ROOM#${roomId}` }, ':conn': { S: 'CONN#' } },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  } finally {
    client.destroy();
  }
}

/** Runs the scenarios (grouped by room size: one room, agents added one at a time) on one local runtime. */
export async function runCostBenchmark(
  scenarios: readonly CostScenario[] = DEFAULT_COST_SCENARIOS,
  log: (line: string) => void = () => undefined,
): Promise<CostCounts[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cost-'));
  const dynamoPort = await freePort();
  const proxy = await startCapacityProxy(`http://127.0.0.1:${dynamoPort}`);
  // Functions see the proxy as their DynamoDB endpoint (services' variables come last).
  const counting: LocalService = {
    name: 'DynamoDB capacity counter',
    start: async () => ({ url: proxy.endpoint, environment: { AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint }, stop: async () => undefined }),
  };
  const invocations: InvocationReport[] = [];
  let lastInvocationAt = performance.now();
  log('Starting the local runtime…');
  const runtime = await startLocalParley({
    dataDir,
    inMemory: true,
    cdkOut: resolve('.parley/test-cdk.out/parley'),
    ports: { ws: 0, http: 0, api: 0, dynamodb: dynamoPort, sqs: 0 },
    services: [...LOCAL_SERVICES, counting],
    onInvocation: (report) => {
      invocations.push(report);
      lastInvocationAt = performance.now();
    },
  });
  const counter = new Counter();
  const results: CostCounts[] = [];
  const quiet = async (until: () => boolean, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const received = counter.received;
      await sleep(250);
      if (until() && performance.now() - lastInvocationAt > 1_500 && counter.received === received) return true;
    }
    return false;
  };
  try {
    const sizes = [...new Set(scenarios.map((s) => s.members))];
    for (const members of sizes) {
      const people = Math.min(members, scenarios.find((s) => s.members === members)?.people ?? members);
      log(`${members} members (${people} people): connecting…`);
      // Connection i belongs to person i mod people: the first `people` connections are each person's first.
      const tokens = await Promise.all(Array.from({ length: people }, (_, i) => runtime.identity.issueToken(`cost-${members}-${i}`)));
      const clients: Client[] = new Array(members);
      // A connect refused with a 5xx (its function timed out on a loaded machine) is tried again, as a client
      // would; connecting is outside every measured window.
      const open = async (i: number): Promise<Client> => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await openClient(`${runtime.wsUrl}?token=${tokens[i % people]}`, counter, i === members - 1);
          } catch (error) {
            if (attempt >= 3 || !/^HTTP 5/.test((error as Error).message)) throw error;
            log(`  connection ${i} refused (${(error as Error).message}); trying again`);
          }
        }
      };
      // Everyone connects before the room exists, then joins over that
      // connection. Not the other way round: a connection's registration is
      // written during $connect, and a post to it before $connect returns is
      // refused as gone (410, as on AWS), which removes the registration.
      // Members connecting into the room while others' connects announce
      // their presence to it lost most of their registrations that way (the
      // socket stayed open and received nothing), and a 1,000-member room
      // became one of about a dozen live connections, below the fan-out
      // threshold. Joining posts each join to the members already in the
      // room (about N²/2 frames, as many as those presence announcements),
      // outside every measured window. A person's other tabs connect last:
      // $connect subscribes them to the room, and a second tab announces
      // nothing, so nothing is posted while they connect.
      await pool(
        Array.from({ length: people }, (_, i) => i),
        25,
        async (i) => {
          clients[i] = await open(i);
        },
      );
      const owner = clients[0] as Client;
      const created = await ok(owner, 'createRoom', { name: `cost ${members}` });
      const roomId = (created['room'] as { roomId: string }).roomId;
      const others = Array.from({ length: people - 1 }, (_, i) => i + 1);
      await pool(others, 25, async (i) => {
        await ok(clients[i] as Client, 'joinRoom', { roomId });
      });
      await pool(
        Array.from({ length: members - people }, (_, i) => i + people),
        25,
        async (i) => {
          clients[i] = await open(i);
        },
      );
      const live = await liveRoomConnections(runtime, roomId);
      log(`${members} members: ${live} of ${members} connections registered in the room`);
      if (live !== members) throw new Error(`Only ${live} of ${members} connections are registered in the room.`);
      let agentsInRoom = 0;
      for (const scenario of scenarios.filter((s) => s.members === members).sort((a, b) => a.agents - b.agents)) {
        while (agentsInRoom < scenario.agents) {
          agentsInRoom += 1;
          await ok(owner, 'addAgent', {
            roomId,
            agent: { handle: `helper${agentsInRoom}`, dailyTokenBudget: 10_000_000, trigger: { mode: 'everyMessage' } },
          });
        }
        // Unmeasured warm-up messages first, so cold starts (and the JIT's
        // first passes) stay out of the window, as on a stack under steady load.
        const warmUp = members <= 100 ? 2 : 0;
        counter.reset();
        for (let m = 0; m < warmUp; m += 1) {
          void owner.request('sendMessage', { roomId, clientMessageId: `warm-${scenario.agents}-${m}`, text: `warm-up ${m}: hello` });
          await sleep(300);
        }
        await quiet(() => counter.replies >= warmUp * scenario.agents, 60_000);
        counter.reset();
        proxy.reset();
        invocations.length = 0;
        log(`${members} members, ${scenario.agents} agents: sending ${scenario.messages} messages…`);
        const senders = clients.slice(0, Math.min(5, people - 1));
        for (let m = 0; m < scenario.messages; m += 1) {
          const sender = senders[m % senders.length] as Client;
          void sender.request('sendMessage', {
            roomId,
            clientMessageId: `cost-${scenario.agents}-${m}`,
            text: `bench ${m}: what should we plan for the release next week?`,
          });
          await sleep(300);
        }
        const settled = await quiet(
          () => counter.messagesSeen >= scenario.messages && counter.replies >= scenario.messages * scenario.agents,
          180_000,
        );
        if (!settled) log(`  not settled: ${counter.messagesSeen} messages, ${counter.replies} replies seen`);
        const functions: CostCounts['functions'] = {};
        for (const report of invocations) {
          const name = functionLabel(report.functionKey);
          const f = (functions[name] ??= {
            invocations: 0,
            cpuMs: 0,
            durationMs: 0,
            memoryMb: runtime.model.functions.get(report.functionKey)?.memoryMb ?? 128,
          });
          f.invocations += 1;
          f.cpuMs += report.cpuMs;
          f.durationMs += report.durationMs;
        }
        results.push({
          scenario,
          messages: scenario.messages,
          functions,
          dynamoDb: structuredClone(proxy.totals),
          framesIn: counter.framesIn,
          routeResponses: counter.responses,
          posts: counter.received - counter.responses,
          replies: counter.replies,
          inputTokens: counter.inputTokens,
          outputTokens: counter.outputTokens,
        });
      }
      for (const client of clients) client.socket.close();
      await quiet(() => runtime.connectionCount() === 0, 30_000);
    }
  } finally {
    await runtime.stop();
    await proxy.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const counts = await runCostBenchmark(DEFAULT_COST_SCENARIOS, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${formatCost(counts.map(perMessage))}\n`);
}
