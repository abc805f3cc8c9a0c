/**
 * The sharded fan-out benchmark: one room with thousands of live sockets on
 * the local runtime, driven over real WebSockets. Each run starts the
 * runtime twice with the same room: once with the fan-out threshold below
 * the room's size (sharded: sendMessage enqueues shards, the fan-out worker
 * posts them) and once above it (synchronous: sendMessage posts to every
 * connection itself). For each message it measures the sender's ack latency
 * and the time from send to the last socket receiving it, and counts every
 * delivery so that a lost or duplicated message shows.
 *
 *   npm run bench -- fan-out
 *   FAN_OUT_BENCH_SOCKETS=5000 FAN_OUT_BENCH_RUNS=1 FAN_OUT_BENCH_INTERVAL_MS=1000 npm run bench -- fan-out
 *
 * Every socket is a file descriptor in this process and another in the
 * runtime's: the soft `ulimit -n` must exceed twice the socket count plus a
 * few hundred (Node cannot raise its own limit; raise it in the shell).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import WebSocket from 'ws';
import { startLocalParley } from '../../test/support/local-parley';
import { pool } from './support';

export interface FanOutScenario {
  /** Live sockets subscribed to the room. */
  readonly sockets: number;
  /** People they belong to (each with sockets / users tabs). */
  readonly users: number;
  /** Messages one member sends per mode, one at a time. */
  readonly messages: number;
  /** Pause between two messages (the sender's rate limit is 5/s). */
  readonly intervalMs: number;
  readonly runs: number;
  /** Shard size for the sharded mode. */
  readonly shardSize: number;
}

const intFromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

export const defaultFanOutScenario = (): FanOutScenario => ({
  sockets: intFromEnv('FAN_OUT_BENCH_SOCKETS', 3000),
  users: 30,
  messages: intFromEnv('FAN_OUT_BENCH_MESSAGES', 10),
  // Slower than the synchronous path's own send (about 3 s for 3,000 sockets
  // here), so both paths are offered the same pace and neither queues up.
  intervalMs: intFromEnv('FAN_OUT_BENCH_INTERVAL_MS', 4000),
  runs: intFromEnv('FAN_OUT_BENCH_RUNS', 3),
  shardSize: 250,
});

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

export interface ModeFigures {
  readonly mode: 'sharded' | 'synchronous';
  readonly threshold: number;
  readonly ack: Percentiles;
  readonly lastDelivery: Percentiles;
  readonly expected: number;
  readonly delivered: number;
  readonly duplicates: number;
  /** Messages whose ack was an error. */
  readonly refused: number;
}

export interface FanOutRun {
  readonly run: number;
  /** `uptime`'s load averages when the run started. */
  readonly loadAverage: string;
  readonly connectSeconds: number;
  readonly modes: readonly ModeFigures[];
}

const percentiles = (values: number[]): Percentiles => {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50: at(0.5), p99: at(0.99) };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const uptimeLoad = (): string => {
  try {
    const out = execFileSync('uptime', { encoding: 'utf8' });
    return /load average:\s*(.+)$/.exec(out.trim())?.[1] ?? out.trim();
  } catch {
    return loadavg().map((l) => l.toFixed(2)).join(', ');
  }
};

/** What the sockets received: arrivals per message, with the time of the last. */
class Arrivals {
  readonly sentAt = new Map<string, number>();
  readonly lastAt = new Map<string, number>();
  readonly count = new Map<string, number>();
  readonly seen = new Set<string>();
  delivered = 0;
  duplicates = 0;
  private waiters: Array<() => void> = [];

  arrived(socket: number, id: string): void {
    const key = `${socket}:${id}`;
    if (this.seen.has(key)) {
      this.duplicates += 1;
      return;
    }
    this.seen.add(key);
    this.delivered += 1;
    this.count.set(id, (this.count.get(id) ?? 0) + 1);
    this.lastAt.set(id, performance.now());
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `expected` arrived, or nothing new came for `idleMs` (the rest is lost). */
  async waitFor(expected: number, idleMs: number): Promise<void> {
    while (this.delivered < expected) {
      const before = this.delivered;
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(idleMs)]);
      if (this.delivered === before) return;
    }
  }
}

interface Socket {
  readonly ws: WebSocket;
  request(action: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const openSocket = (url: string, index: number, arrivals: { current?: Arrivals }): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const pending = new Map<string, (frame: Record<string, unknown>) => void>();
    let next = 0;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (frame['type'] === 'message') {
        const text = (frame['message'] as { text?: string }).text ?? '';
        if (text.startsWith('bench:')) arrivals.current?.arrived(index, text.slice(6));
      } else if (typeof frame['requestId'] === 'string') {
        pending.get(frame['requestId'])?.(frame);
        pending.delete(frame['requestId']);
      }
    });
    ws.once('open', () =>
      resolve({
        ws,
        request(action, payload) {
          const requestId = `${index}-${next++}`;
          return new Promise((done) => {
            pending.set(requestId, done);
            ws.send(JSON.stringify({ action, requestId, ...payload }));
          });
        },
      }),
    );
    ws.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });

/** One mode: a fresh runtime, the room, its sockets, then the messages. */
async function runMode(
  scenario: FanOutScenario,
  mode: ModeFigures['mode'],
  log: (line: string) => void,
): Promise<{ figures: ModeFigures; connectSeconds: number }> {
  const threshold = mode === 'sharded' ? 100 : scenario.sockets * 10;
  const runtime = await startLocalParley({
    env: {
      PARLEY_FUNCTION_ENV: JSON.stringify({
        FAN_OUT_SHARD_THRESHOLD: String(threshold),
        FAN_OUT_SHARD_SIZE: String(scenario.shardSize),
      }),
    },
  });
  const arrivals: { current?: Arrivals } = {};
  const sockets: Socket[] = [];
  try {
    const tokens = await Promise.all(Array.from({ length: scenario.users }, (_, u) => runtime.token(`fan-out-${u}`)));
    const urlOf = (socket: number) => `${runtime.wsUrl}?token=${tokens[socket % scenario.users]}`;
    // One socket per person first: the owner creates the room, the others join it.
    for (let u = 0; u < scenario.users; u += 1) sockets.push(await openSocket(urlOf(u), u, arrivals));
    const created = await (sockets[0] as Socket).request('createRoom', { name: 'auditorium', visibility: 'public' });
    const roomId = (created['data'] as { room: { roomId: string } }).room.roomId;
    await pool(sockets.slice(1), 5, async (s) => {
      const ack = await s.request('joinRoom', { roomId });
      if (ack['type'] !== 'ack') throw new Error(`joinRoom failed: ${JSON.stringify(ack)}`);
    });
    // The other tabs: each is subscribed to its person's rooms on $connect.
    log(`${mode}: opening ${scenario.sockets} sockets…`);
    const connectStarted = performance.now();
    const rest = Array.from({ length: scenario.sockets - scenario.users }, (_, i) => i + scenario.users);
    await pool(rest, 40, async (index) => {
      sockets[index] = await openSocket(urlOf(index), index, arrivals);
    });
    const connectSeconds = (performance.now() - connectStarted) / 1000;

    const sender = sockets[1] as Socket;
    const send = async (round: string, m: number, into: Arrivals | undefined, acks: number[]) => {
      const id = `${round}${m}`;
      into?.sentAt.set(id, performance.now());
      const started = performance.now();
      const ack = await sender.request('sendMessage', { roomId, text: `bench:${id}`, clientMessageId: id });
      if (ack['type'] !== 'ack') return false;
      acks.push(performance.now() - started);
      return true;
    };

    // Unmeasured warm-up: the worker instances and the JIT on the real path.
    log(`${mode}: warming up…`);
    const warm = new Arrivals();
    arrivals.current = warm;
    for (let m = 0; m < 3; m += 1) {
      await send('w', m, warm, []);
      await sleep(scenario.intervalMs);
    }
    await warm.waitFor(3 * scenario.sockets, 10_000);

    log(`${mode}: sending ${scenario.messages} messages to ${scenario.sockets} sockets…`);
    const measured = new Arrivals();
    arrivals.current = measured;
    const acks: number[] = [];
    let refused = 0;
    for (let m = 0; m < scenario.messages; m += 1) {
      const sentAt = performance.now();
      if (!(await send('m', m, measured, acks))) refused += 1;
      await sleep(Math.max(0, scenario.intervalMs - (performance.now() - sentAt)));
    }
    const expected = (scenario.messages - refused) * scenario.sockets;
    await measured.waitFor(expected, 15_000);
    const lastDelivery = [...measured.sentAt].flatMap(([id, sent]) => {
      const last = measured.lastAt.get(id);
      return last === undefined ? [] : [last - sent];
    });
    return {
      connectSeconds,
      figures: {
        mode,
        threshold,
        ack: percentiles(acks),
        lastDelivery: percentiles(lastDelivery),
        expected,
        delivered: measured.delivered,
        duplicates: measured.duplicates,
        refused,
      },
    };
  } finally {
    for (const s of sockets) s?.ws.terminate();
    await runtime.stop();
  }
}

/** `runs` runs, each measuring the sharded and the synchronous path on fresh runtimes, one after the other. */
export async function runFanOutBenchmark(
  scenario: FanOutScenario = defaultFanOutScenario(),
  log: (line: string) => void = () => undefined,
): Promise<FanOutRun[]> {
  const runs: FanOutRun[] = [];
  for (let run = 1; run <= scenario.runs; run += 1) {
    const loadAverage = uptimeLoad();
    log(`run ${run} of ${scenario.runs} (load average ${loadAverage})`);
    const modes: ModeFigures[] = [];
    let connectSeconds = 0;
    for (const mode of ['sharded', 'synchronous'] as const) {
      const result = await runMode(scenario, mode, log);
      modes.push(result.figures);
      connectSeconds = Math.max(connectSeconds, result.connectSeconds);
    }
    runs.push({ run, loadAverage, connectSeconds, modes });
  }
  return runs;
}

const ms = (n: number) => (Number.isNaN(n) ? '–' : Math.round(n).toString());

export function formatFanOut(runs: readonly FanOutRun[], scenario: FanOutScenario = defaultFanOutScenario()): string {
  const lines = [
    `${scenario.sockets} sockets of ${scenario.users} people in one room; ${scenario.messages} messages per mode from one member, one every ${scenario.intervalMs / 1000} s (or when the previous ack came, if later); shards of ${scenario.shardSize}.`,
    '',
    '| run | load average (1, 5, 15 min) | path | threshold | ack p50 / p99 (ms) | send→last delivery p50 / p99 (ms) | delivered / expected | duplicated | refused sends |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    for (const m of r.modes) {
      lines.push(
        `| ${r.run} | ${r.loadAverage} | ${m.mode} | ${m.threshold} | ${ms(m.ack.p50)} / ${ms(m.ack.p99)} | ${ms(m.lastDelivery.p50)} / ${ms(m.lastDelivery.p99)} | ${m.delivered} / ${m.expected} | ${m.duplicates} | ${m.refused} |`,
      );
    }
  }
  return lines.join('\n');
}
