import { readFileSync } from 'node:fs';
import { startLocalParley } from '../../test/support/local-parley';

/** p50, p99 and max of some durations, in ms. */
export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface HttpPostResult {
  /** An HTTP POST with an API key, until a WebSocket listener in the room has the message. */
  readonly http: Latency;
  /** A WebSocket sendMessage from a member, until the same listener has it: the baseline. */
  readonly webSocket: Latency;
  /** /proc/loadavg's 1-minute figure before and after the run. */
  readonly loadBefore: string;
  readonly loadAfter: string;
}

const latencyOf = (times: readonly number[]): Latency => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
};

const loadAverage = (): string => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
};

/**
 * Post-to-delivery latency on the local runtime: a message posted through
 * the HTTP API with an API key against one sent over the WebSocket by a
 * member, each until a third member's socket receives it, alternating one
 * of each so both paths meet the same machine load. Paced under the
 * sender's message rate (5/s) and the key's rate.
 */
export async function runHttpPostBenchmark(count = 60, log: (line: string) => void = () => undefined): Promise<HttpPostResult> {
  const loadBefore = loadAverage();
  const parley = await startLocalParley({ startTimeoutMs: 300_000 });
  try {
    const owner = await parley.connect('bench-owner');
    const listener = await parley.connect('bench-listener');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'bench http' });
    await listener.ok('joinRoom', { roomId: room.roomId });
    const created = await fetch(`${parley.apiUrl}/v1/rooms/${room.roomId}/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await parley.token('bench-owner')}`, 'content-type': 'application/json' },
      // The deployment's maximum rate: the key's limit is not what is measured.
      body: JSON.stringify({ name: 'bench', scopes: ['post'], ratePerMinute: 600 }),
    });
    if (created.status !== 201) throw new Error(`Creating the key answered ${created.status}: ${await created.text()}`);
    const { secret } = (await created.json()) as { secret: string };

    const delivered = (text: string) =>
      listener.waitFor((f) => f.type === 'message' && (f['message'] as { text: string }).text === text, 10_000).then(() => performance.now());
    const viaHttp = async (text: string) => {
      const started = performance.now();
      const arrived = delivered(text);
      const answer = await fetch(`${parley.apiUrl}/v1/rooms/${room.roomId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text, clientMessageId: text }),
      });
      if (answer.status !== 201) throw new Error(`POST answered ${answer.status}: ${await answer.text()}`);
      return (await arrived) - started;
    };
    const viaSocket = async (text: string) => {
      const started = performance.now();
      const arrived = delivered(text);
      await owner.ok('sendMessage', { roomId: room.roomId, clientMessageId: text, text });
      return (await arrived) - started;
    };
    const paced = async (send: () => Promise<number>) => {
      const [elapsed] = await Promise.all([send(), new Promise((resolve) => setTimeout(resolve, 250))]);
      return elapsed;
    };
    // Warm-up: each path's functions start once; cold starts are not the steady state.
    for (let i = 0; i < 3; i += 1) {
      await paced(() => viaHttp(`warm-http-${i}`));
      await paced(() => viaSocket(`warm-ws-${i}`));
    }
    const http: number[] = [];
    const webSocket: number[] = [];
    for (let i = 0; i < count; i += 1) {
      http.push(await paced(() => viaHttp(`http-${i}`)));
      webSocket.push(await paced(() => viaSocket(`ws-${i}`)));
      if ((i + 1) % 20 === 0) log(`http-post: ${i + 1}/${count}`);
    }
    owner.socket.terminate();
    listener.socket.terminate();
    return { http: latencyOf(http), webSocket: latencyOf(webSocket), loadBefore, loadAfter: loadAverage() };
  } finally {
    await parley.stop();
  }
}

export function formatHttpPost(result: HttpPostResult): string {
  const row = (label: string, l: Latency) => `| ${label} | ${l.count} | ${l.p50.toFixed(0)} | ${l.p99.toFixed(0)} | ${l.max.toFixed(0)} |`;
  return [
    `Post to delivery to a WebSocket listener in the same room (local runtime, alternating, one at a time; ` +
      `load average before ${result.loadBefore}, after ${result.loadAfter}):`,
    '',
    '| path | messages | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|',
    row('HTTP POST with an API key', result.http),
    row('WebSocket sendMessage (baseline)', result.webSocket),
    '',
    `p50 ratio HTTP / WebSocket: ${(result.http.p50 / result.webSocket.p50).toFixed(2)}`,
  ].join('\n');
}
