/**
 * The heartbeat benchmark: what one keep-alive costs on the local runtime
 * (`npm start`, real WebSockets), `ping` against the request the web client
 * used before it, `listRooms` with `limit: 1`, measured in the same run on
 * the same socket, alternating so both meet the same machine load.
 * Round trips as the client sees them (send to answer), and the function's
 * own duration as the runtime logs it.
 *
 *   npm run bench -- heartbeat
 */
import {
  ConnectionRefusedError,
  type LocalParleyProcess,
  type RuntimeEvent,
  startLocalParley,
  type TestClient,
} from '../../test/support/local-parley';

const ROUNDS = 200;

export interface HeartbeatRow {
  readonly action: 'ping' | 'listRooms (limit 1)';
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly functionMedianMs: number;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** A 500 at the handshake means the key set could not be fetched yet (a loaded machine): worth retrying, as a client would. */
async function connectWithRetry(parley: LocalParleyProcess, attempts = 5): Promise<TestClient> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await parley.connect('bench-heartbeat');
    } catch (error) {
      if (!(error instanceof ConnectionRefusedError && error.status === 500) || attempt >= attempts) throw error;
    }
  }
}

export async function runHeartbeatBenchmark(log: (line: string) => void = () => undefined): Promise<HeartbeatRow[]> {
  const parley = await startLocalParley({ startTimeoutMs: 280_000 });
  try {
    const client = await connectWithRetry(parley);
    // Something to list, as a person with a room has.
    await client.ok('createRoom', { name: 'Heartbeat bench' });
    const trips: Record<'ping' | 'listRooms', number[]> = { ping: [], listRooms: [] };
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const [action, payload] of [['ping', {}], ['listRooms', { limit: 1 }]] as const) {
        const started = performance.now();
        const frame = await client.request(action, payload);
        if (frame.type !== 'ack') throw new Error(`${action} failed: ${JSON.stringify(frame)}`);
        trips[action].push(performance.now() - started);
      }
      if (i % 50 === 49) log(`${i + 1} rounds`);
    }
    const durations = (route: string) =>
      parley.events.filter((e: RuntimeEvent) => e.event === 'request' && e['route'] === route).map((e) => Number(e['durationMs']));
    const row = (action: 'ping' | 'listRooms', label: HeartbeatRow['action']): HeartbeatRow => ({
      action: label,
      medianMs: percentile(trips[action], 50),
      p95Ms: percentile(trips[action], 95),
      functionMedianMs: percentile(durations(action), 50),
    });
    return [row('ping', 'ping'), row('listRooms', 'listRooms (limit 1)')];
  } finally {
    await parley.stop();
  }
}

export function formatHeartbeat(rows: readonly HeartbeatRow[]): string {
  const [ping, listRooms] = rows;
  const ratio = ping && listRooms ? (ping.medianMs / listRooms.medianMs).toFixed(2) : '—';
  return [
    '| request | round trip, median | round trip, p95 | function, median | DynamoDB requests |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.action} | ${r.medianMs.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${r.functionMedianMs.toFixed(1)} ms | ${r.action === 'ping' ? '0 (no table grant)' : '1 or more (queries of the caller’s rooms, then public rooms)'} |`,
    ),
    '',
    `${ROUNDS} of each, alternating on one socket; ping's median round trip is ${ratio}× listRooms'.`,
  ].join('\n');
}
