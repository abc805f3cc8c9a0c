/**
 * The realtime benchmark: N clients across R rooms on the local runtime
 * (`npm start`, as a child process), driven over real WebSockets. Measures
 * the connect rate, send→deliver latency for every member, delivered
 * messages per second, history page latency, and counts every delivery so
 * that a lost or duplicated message shows. The same clients and schedule
 * then run against a plain `ws` broadcast server (in a worker thread) as the
 * baseline.
 *
 *   npm run bench -- realtime
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { startLocalParley } from '../../test/support/local-parley';
import {
  type CpuProfile,
  type CpuSnapshot,
  cpuBetween,
  samplesByOwner,
  snapshotCpu,
  splitMainThread,
} from './cpu-accounting';
import { pool } from './support';

export interface RealtimeScenario {
  readonly name: string;
  readonly clients: number;
  readonly rooms: number;
  /** Members of each room that send. */
  readonly sendersPerRoom: number;
  readonly messagesPerSender: number;
  /** Pause between one sender's messages (Parley limits each user to 5/s). */
  readonly sendIntervalMs: number;
}

export const DEFAULT_SCENARIOS: readonly RealtimeScenario[] = [
  // 10 messages/s into a 100-member room: 1,000 deliveries/s offered.
  { name: '100 clients in 1 room, 10 msg/s', clients: 100, rooms: 1, sendersPerRoom: 10, messagesPerSender: 10, sendIntervalMs: 1000 },
  // 100 messages/s across 100 rooms of 10: 1,000 deliveries/s offered.
  { name: '1,000 clients across 100 rooms, 100 msg/s', clients: 1000, rooms: 100, sendersPerRoom: 1, messagesPerSender: 5, sendIntervalMs: 1000 },
  // 40 messages/s into a 100-member room: 4,000 deliveries/s offered, more than
  // the runtime sustains on two cores; shows the ceiling (latency includes queueing).
  { name: '100 clients in 1 room, 40 msg/s (saturated)', clients: 100, rooms: 1, sendersPerRoom: 20, messagesPerSender: 10, sendIntervalMs: 500 },
];

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface FanOutFigures {
  readonly latency: Percentiles;
  /** Per message, from its first to its last member receiving it. */
  readonly spread: Percentiles;
  readonly expected: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly deliveredPerSecond: number;
  readonly rejected: number;
}

/** CPU used while the measured messages flowed, by component. */
export interface CpuFigures {
  /** CPU ms by component (the runtime's main thread split by its profile when one was taken). */
  readonly byComponent: ReadonlyMap<string, number>;
  /** Wall-clock ms of the measured phase, for cores used. */
  readonly wallMs: number;
  /** /proc/loadavg when the phase started. */
  readonly loadAverage: string;
}

export interface RealtimeResult {
  readonly scenario: RealtimeScenario;
  readonly cpu: CpuFigures;
  readonly connectPerSecond: number;
  readonly parley: FanOutFigures;
  readonly baseline: FanOutFigures;
  readonly history: Percentiles & { readonly requests: number };
}

const percentiles = (values: number[]): Percentiles => {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) as number };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deliveries seen by the clients: send time by message id, arrivals by client. */
class Tally {
  readonly sentAt = new Map<string, number>();
  readonly seen = new Map<string, number>();
  readonly arrivals = new Map<string, { first: number; last: number }>();
  latencies: number[] = [];
  delivered = 0;
  duplicates = 0;
  rejected = 0;
  firstSend = Number.POSITIVE_INFINITY;
  lastDelivery = 0;
  private waiters: Array<() => void> = [];

  sent(id: string): void {
    const now = performance.now();
    this.sentAt.set(id, now);
    this.firstSend = Math.min(this.firstSend, now);
  }

  arrived(client: number, id: string): void {
    const now = performance.now();
    const key = `${client}:${id}`;
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    if (count > 1) {
      this.duplicates += 1;
      return;
    }
    this.delivered += 1;
    this.lastDelivery = now;
    const span = this.arrivals.get(id);
    if (span) span.last = now;
    else this.arrivals.set(id, { first: now, last: now });
    const sent = this.sentAt.get(id);
    if (sent !== undefined) this.latencies.push(now - sent);
    for (const w of this.waiters.splice(0)) w();
  }

  async waitFor(expected: number, idleMs: number): Promise<void> {
    while (this.delivered < expected) {
      const before = this.delivered;
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(idleMs)]);
      if (this.delivered === before) return; // nothing new for idleMs: the rest is lost
    }
  }

  figures(expected: number): FanOutFigures {
    const seconds = (this.lastDelivery - this.firstSend) / 1000;
    return {
      latency: percentiles(this.latencies),
      spread: percentiles([...this.arrivals.values()].map((a) => a.last - a.first)),
      expected,
      delivered: this.delivered,
      lost: expected - this.delivered,
      duplicates: this.duplicates,
      deliveredPerSecond: seconds > 0 ? this.delivered / seconds : 0,
      rejected: this.rejected,
    };
  }
}

interface Client {
  readonly index: number;
  readonly socket: WebSocket;
  request(action: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const openSocket = (url: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });

/**
 * Opens a socket, again after a 500 (a cold authorizer instance timing out on
 * a loaded machine), as a client reconnects; at most three tries.
 */
const openRetrying = async (url: string): Promise<WebSocket> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openSocket(url);
    } catch (error) {
      if (attempt >= 3 || (error as Error).message !== 'HTTP 500') throw error;
      connectRetries += 1;
    }
  }
};

/** Connects that needed another try, over the whole run (printed with the figures). */
let connectRetries = 0;

const openParleyClient = async (url: string, index: number, tally: { current?: Tally }): Promise<Client> => {
  const socket = await openRetrying(url);
  const pending = new Map<string, (frame: Record<string, unknown>) => void>();
  let next = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    if (frame['type'] === 'message') {
      const text = (frame['message'] as { text?: string }).text ?? '';
      if (text.startsWith('bench:')) tally.current?.arrived(index, text.slice(6));
    } else if (typeof frame['requestId'] === 'string') {
      if (frame['type'] === 'error' && frame['action'] === 'sendMessage' && tally.current) tally.current.rejected += 1;
      pending.get(frame['requestId'])?.(frame);
      pending.delete(frame['requestId']);
    }
  });
  return {
    index,
    socket,
    request(action, payload) {
      const requestId = `${index}-${next++}`;
      return new Promise((resolve) => {
        pending.set(requestId, resolve);
        socket.send(JSON.stringify({ action, requestId, ...payload }));
      });
    },
  };
};

/** Sends every sender's messages on the schedule; `send` posts one message. */
const runSchedule = async (
  scenario: RealtimeScenario,
  senders: Array<{ client: number; room: number }>,
  send: (sender: { client: number; room: number }, id: string) => void,
  tally: Tally,
) => {
  await Promise.all(
    senders.map(async (sender, i) => {
      // Spread the senders over one interval so they do not all fire at once.
      await sleep((i / senders.length) * scenario.sendIntervalMs);
      for (let m = 0; m < scenario.messagesPerSender; m += 1) {
        const id = `${sender.client}-${m}`;
        tally.sent(id);
        send(sender, id);
        await sleep(scenario.sendIntervalMs);
      }
    }),
  );
};

const BASELINE_SERVER = `
const { WebSocketServer } = require(${JSON.stringify(import.meta.resolve('ws').replace('file://', ''))});
const { parentPort } = require('node:worker_threads');
const rooms = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false }, () => parentPort.postMessage(wss.address().port));
wss.on('connection', (socket, request) => {
  const room = new URL(request.url, 'http://x').searchParams.get('room');
  if (!rooms.has(room)) rooms.set(room, new Set());
  rooms.get(room).add(socket);
  socket.on('message', (data) => {
    const text = data.toString();
    for (const peer of rooms.get(room)) peer.send(text);
  });
  socket.on('close', () => rooms.get(room).delete(socket));
});
`;

type Sender = { client: number; room: number };

const runBaseline = async (
  scenario: RealtimeScenario,
  roomOf: (client: number) => number,
  senders: Sender[],
  expected: number,
) => {
  const worker = new Worker(BASELINE_SERVER, { eval: true });
  const port = await new Promise<number>((r) => worker.once('message', r));
  const tally = new Tally();
  const sockets: WebSocket[] = [];
  await pool(
    Array.from({ length: scenario.clients }, (_, i) => i),
    50,
    async (i) => {
      const socket = await openSocket(`ws://127.0.0.1:${port}/?room=${roomOf(i)}`);
      socket.on('message', (data) => tally.arrived(i, JSON.parse(data.toString()).id as string));
      sockets[i] = socket;
    },
  );
  const send = (sender: Sender, id: string) => sockets[sender.client]?.send(JSON.stringify({ id, text: 'hello' }));
  await runSchedule(scenario, senders, send, tally);
  await tally.waitFor(expected, 5_000);
  for (const s of sockets) s.terminate();
  await worker.terminate();
  return tally.figures(expected);
};

/** Runs the scenarios against one local runtime; each scenario uses fresh users. */
export async function runRealtimeBenchmark(
  scenarios: readonly RealtimeScenario[] = DEFAULT_SCENARIOS,
  log: (line: string) => void = () => undefined,
): Promise<RealtimeResult[]> {
  log('Starting the local runtime…');
  // The runtime's main thread serves the WebSocket API, the management API,
  // fauxqs and the pollers on one event loop: a V8 profile of that thread
  // splits its CPU time among them (PARLEY_BENCH_PROFILE=0 turns it off).
  const profileDir = process.env['PARLEY_BENCH_PROFILE'] === '0' ? undefined : mkdtempSync(join(tmpdir(), 'parley-prof-'));
  const runtime = await startLocalParley(
    profileDir ? { env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim() } } : {},
  );
  const runtimePid = runtime.process.pid as number;
  const windows: Array<{ from: bigint; to: bigint; before: CpuSnapshot; after: CpuSnapshot; loadAverage: string }> = [];
  const results: Array<Omit<RealtimeResult, 'cpu'>> = [];
  try {
    for (const [s, scenario] of scenarios.entries()) {
      log(`${scenario.name}: connecting ${scenario.clients} clients…`);
      const tallyRef: { current?: Tally } = {};
      const roomOf = (client: number) => client % scenario.rooms;
      // Warm-up: bring every function up to its full set of warm instances, as
      // a deployed stack under steady load has them; cold starts are not measured.
      const warmTokens = await Promise.all(Array.from({ length: 12 }, (_, i) => runtime.token(`warm-${s}-${i}`)));
      const warm = await Promise.all(
        warmTokens.map((t, i) => openParleyClient(`${runtime.wsUrl}?token=${t}`, -1 - i, {})),
      );
      const created = await (warm[0] as Client).request('createRoom', { name: 'warm-up' });
      const warmRoom = (created['data'] as { room: { roomId: string } }).room.roomId;
      await Promise.all(warm.slice(1).map((c) => c.request('joinRoom', { roomId: warmRoom })));
      for (let round = 0; round < 3; round += 1) {
        await Promise.all(
          warm.map((c, i) =>
            c.request('sendMessage', { roomId: warmRoom, text: 'warm-up', clientMessageId: `w${round}-${i}` }),
          ),
        );
        await Promise.all(warm.map((c) => c.request('getHistory', { roomId: warmRoom, limit: 10 })));
      }
      for (const c of warm) c.socket.close();

      const tokens = await Promise.all(
        Array.from({ length: scenario.clients }, (_, i) => runtime.token(`bench-${s}-${i}`)),
      );
      const clients: Client[] = new Array(scenario.clients);
      const connectStarted = performance.now();
      await pool(tokens, 25, async (token, i) => {
        clients[i] = await openParleyClient(`${runtime.wsUrl}?token=${token}`, i, tallyRef);
      });
      const connectPerSecond = scenario.clients / ((performance.now() - connectStarted) / 1000);

      log(`${scenario.name}: creating ${scenario.rooms} rooms and joining…`);
      const roomIds: string[] = [];
      await pool(
        Array.from({ length: scenario.rooms }, (_, r) => r),
        10,
        async (r) => {
          const ack = await (clients[r] as Client).request('createRoom', { name: `bench ${s}-${r}` });
          roomIds[r] = ((ack['data'] as { room: { roomId: string } }).room).roomId;
        },
      );
      await pool(clients.slice(scenario.rooms), 25, async (client) => {
        const ack = await client.request('joinRoom', { roomId: roomIds[roomOf(client.index)] });
        if (ack['type'] !== 'ack') throw new Error(`joinRoom failed: ${JSON.stringify(ack)}`);
      });

      const membersOf = (room: number) => clients.filter((c) => roomOf(c.index) === room).length;
      const senders = Array.from({ length: scenario.rooms }, (_, room) =>
        clients
          .filter((c) => roomOf(c.index) === room)
          .slice(0, scenario.sendersPerRoom)
          .map((c) => ({ client: c.index, room })),
      ).flat();
      const expected = senders.reduce((n, sender) => n + membersOf(sender.room) * scenario.messagesPerSender, 0);

      // A short unmeasured round on the same room(s) first: the JIT compilers of
      // DynamoDB Local and the function instances warm up on the real path.
      const warmTally = new Tally();
      tallyRef.current = warmTally;
      const warmScenario = { ...scenario, messagesPerSender: 2 };
      await runSchedule(
        warmScenario,
        senders,
        (sender, id) => {
          const warmUp = { roomId: roomIds[sender.room], text: `bench:w${id}`, clientMessageId: `w${id}` };
          void clients[sender.client]?.request('sendMessage', warmUp);
        },
        warmTally,
      );
      await warmTally.waitFor(expected / (scenario.messagesPerSender / 2), 5_000);
      await sleep(1_000);

      log(`${scenario.name}: sending ${senders.length * scenario.messagesPerSender} messages (${expected} deliveries expected)…`);
      const tally = new Tally();
      tallyRef.current = tally;
      const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      const from = process.hrtime.bigint();
      const before = snapshotCpu(runtimePid, runtime.dynamoDbPid);
      await runSchedule(
        scenario,
        senders,
        (sender, id) => {
          void clients[sender.client]?.request('sendMessage', {
            roomId: roomIds[sender.room],
            text: `bench:${id}`,
            clientMessageId: id,
          });
        },
        tally,
      );
      await tally.waitFor(expected, 10_000);
      const after = snapshotCpu(runtimePid, runtime.dynamoDbPid);
      windows.push({ from, to: process.hrtime.bigint(), before, after, loadAverage });
      const parley = tally.figures(expected);

      log(`${scenario.name}: history pages…`);
      const historyTimes: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        const room = i % scenario.rooms;
        const started = performance.now();
        const ack = await (clients[room] as Client).request('getHistory', { roomId: roomIds[room], limit: 50 });
        if (ack['type'] === 'ack') historyTimes.push(performance.now() - started);
      }
      for (const client of clients) client.socket.close();
      const closeBy = Date.now() + 5_000;
      while (clients.some((c) => c.socket.readyState !== WebSocket.CLOSED) && Date.now() < closeBy) await sleep(50);

      log(`${scenario.name}: plain ws baseline…`);
      const baseline = await runBaseline(scenario, roomOf, senders, expected);
      const history = { ...percentiles(historyTimes), requests: historyTimes.length };
      results.push({ scenario, connectPerSecond, parley, baseline, history });
      runtime.events.length = 0;
    }
  } finally {
    await runtime.stop();
  }
  const profile = profileDir ? readMainThreadProfile(profileDir, runtimePid) : undefined;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  return results.map((result, i) => {
    const w = windows[i] as (typeof windows)[number];
    return { ...result, cpu: cpuFigures(w, profile) };
  });
}

/** The profile of the runtime's main thread (file `CPU.<date>.<time>.<pid>.0.<n>.cpuprofile`). */
function readMainThreadProfile(dir: string, pid: number): CpuProfile | undefined {
  const file = readdirSync(dir).find((name) => name.includes(`.${pid}.0.`) && name.endsWith('.cpuprofile'));
  return file ? (JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile) : undefined;
}

function cpuFigures(
  w: { from: bigint; to: bigint; before: CpuSnapshot; after: CpuSnapshot; loadAverage: string },
  profile: CpuProfile | undefined,
): CpuFigures {
  const byComponent = cpuBetween(w.before, w.after);
  const main = byComponent.get('runtime main thread');
  if (profile && main !== undefined) {
    const micros = (t: bigint) => Number(t / 1000n);
    byComponent.delete('runtime main thread');
    for (const [owner, ms] of splitMainThread(main, samplesByOwner(profile, micros(w.from), micros(w.to)))) {
      byComponent.set(`main thread: ${owner}`, ms);
    }
  }
  return { byComponent, wallMs: Number(w.to - w.from) / 1e6, loadAverage: w.loadAverage };
}

const ms = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(1) : Math.round(n).toString());

export function formatRealtime(results: readonly RealtimeResult[]): string {
  const lines = [
    '| scenario | system | connects/s | send→deliver p50 / p99 / max (ms) | fan-out spread p50 / p99 (ms) | delivered msg/s | delivered / expected | lost | duplicated | rejected sends | history page p50 / p99 (ms) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const row = (system: string, f: FanOutFigures, connects: string, history: string) =>
      `| ${r.scenario.name} | ${system} | ${connects} | ${ms(f.latency.p50)} / ${ms(f.latency.p99)} / ${ms(f.latency.max)} | ${ms(f.spread.p50)} / ${ms(f.spread.p99)} | ${Math.round(f.deliveredPerSecond)} | ${f.delivered} / ${f.expected} | ${f.lost} | ${f.duplicates} | ${f.rejected} | ${history} |`;
    lines.push(row('Parley (local runtime)', r.parley, Math.round(r.connectPerSecond).toString(), `${ms(r.history.p50)} / ${ms(r.history.p99)}`));
    lines.push(row('plain ws broadcast', r.baseline, '–', '–'));
    lines.push(
      `| ${r.scenario.name} | ratio Parley / ws (p99) | | ${(r.parley.latency.p99 / r.baseline.latency.p99).toFixed(1)}× | ${(r.parley.spread.p99 / r.baseline.spread.p99).toFixed(1)}× | | | | | | |`,
    );
  }
  lines.push('', `Connects retried after a 500: ${connectRetries}.`, '', formatCpu(results));
  return lines.join('\n');
}

/** CPU ms per delivered message by component, one column per scenario. */
export function formatCpu(results: readonly RealtimeResult[]): string {
  const components = [...new Set(results.flatMap((r) => [...r.cpu.byComponent.keys()]))].sort();
  const perDelivery = (r: RealtimeResult, ms: number) => (r.parley.delivered > 0 ? ms / r.parley.delivered : 0);
  const total = (r: RealtimeResult) => [...r.cpu.byComponent.values()].reduce((a, b) => a + b, 0);
  const lines = [
    `| CPU-ms per delivered message | ${results.map((r) => r.scenario.name).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
  ];
  for (const c of components) {
    lines.push(`| ${c} | ${results.map((r) => perDelivery(r, r.cpu.byComponent.get(c) ?? 0).toFixed(3)).join(' | ')} |`);
  }
  lines.push(`| **total** | ${results.map((r) => `**${perDelivery(r, total(r)).toFixed(3)}**`).join(' | ')} |`);
  lines.push(`| cores used (total CPU / wall time) | ${results.map((r) => (total(r) / r.cpu.wallMs).toFixed(2)).join(' | ')} |`);
  lines.push(`| load average at the phase's start | ${results.map((r) => r.cpu.loadAverage).join(' | ')} |`);
  return lines.join('\n');
}
