/**
 * The model circuit benchmark, on the local runtime with the offline model
 * that is always throttled (`parley.offline-unavailable`). Measured at
 * another member's client, from send to the `AGENT_UNAVAILABLE` notice:
 *
 * - baseline: the first mention while the circuit is closed. Its job goes
 *   through the retries a failing model always costs (three calls with
 *   backoff per delivery, three deliveries 5 s and 10 s apart) and is
 *   dead-lettered; its last failure opens the circuit (threshold 3 here);
 * - open: the mentions after it, refused without a model call.
 *
 * Each run starts a fresh runtime, so the baseline is measured again.
 *
 *   npm run bench -- model-circuit
 */
import { startLocalParley, type TestClient } from '../../test/support/local-parley';

export interface ModelCircuitBenchmarkOptions {
  readonly runs: number;
  /** Mentions measured while the circuit is open, per run. */
  readonly openSamples: number;
}

export const DEFAULT_MODEL_CIRCUIT_BENCHMARK: ModelCircuitBenchmarkOptions = { runs: 3, openSamples: 5 };

export interface ModelCircuitRun {
  readonly baselineMs: number;
  /** Median of the open circuit's samples. */
  readonly openMs: number;
  readonly loadAverage: string;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

const loadAverage = async (): Promise<string> => {
  const { readFile } = await import('node:fs/promises');
  return (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' ');
};

async function runOnce(options: ModelCircuitBenchmarkOptions, log: (line: string) => void): Promise<ModelCircuitRun> {
  // Opens at the third failed delivery, the job's last; a long cool-down keeps it open while measured.
  const parley = await startLocalParley({
    env: { PARLEY_FUNCTION_ENV: JSON.stringify({ AGENT_CIRCUIT_FAILURES: '3', AGENT_CIRCUIT_COOL_DOWN_MS: '600000' }) },
  });
  const clients: TestClient[] = [];
  try {
    const sender = await parley.connect('bench-circuit-0');
    const watcher = await parley.connect('bench-circuit-1');
    clients.push(sender, watcher);
    const { room } = await sender.ok<{ room: { roomId: string } }>('createRoom', { name: 'circuit bench' });
    await watcher.ok('joinRoom', { roomId: room.roomId });
    await sender.ok('addAgent', { roomId: room.roomId, agent: { handle: 'down', modelId: 'parley.offline-unavailable' } });
    const ask = async (i: number, timeoutMs: number): Promise<number> => {
      const started = performance.now();
      const { messageId } = await sender.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, clientMessageId: `q-${i}`, text: `@down question ${i}?` });
      await watcher.waitFor((f) => f.type === 'notice' && f['messageId'] === messageId, timeoutMs);
      return performance.now() - started;
    };
    const baselineMs = await ask(0, 90_000);
    log(`model-circuit: baseline ${Math.round(baselineMs)} ms`);
    const open: number[] = [];
    for (let i = 1; i <= options.openSamples; i += 1) open.push(await ask(i, 20_000));
    return { baselineMs, openMs: median(open), loadAverage: await loadAverage() };
  } finally {
    for (const client of clients) client.socket.terminate();
    await parley.stop();
  }
}

export async function runModelCircuitBenchmark(
  options: ModelCircuitBenchmarkOptions = DEFAULT_MODEL_CIRCUIT_BENCHMARK,
  log: (line: string) => void = () => undefined,
): Promise<ModelCircuitRun[]> {
  const runs: ModelCircuitRun[] = [];
  for (let i = 0; i < options.runs; i += 1) {
    runs.push(await runOnce(options, log));
    log(`model-circuit: run ${i + 1}/${options.runs}`);
  }
  return runs;
}

export function formatModelCircuit(runs: readonly ModelCircuitRun[]): string {
  const rows = runs.map(
    (run, i) =>
      `| ${i + 1} | ${Math.round(run.baselineMs).toLocaleString('en')} | ${Math.round(run.openMs).toLocaleString('en')} | ${(run.baselineMs / run.openMs).toFixed(0)}× | ${run.loadAverage} |`,
  );
  return [
    '| run | send → notice, circuit closed (baseline), ms | send → notice, circuit open (median), ms | ratio | load average |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
