import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { loadIdentityProvider } from '../../scripts/local/identity/identity-provider';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** What the runtime reports when it is ready (`npm start -- --json`). */
export interface ReadyEvent {
  readonly wsUrl: string;
  /** The web client (`npm start` serves it). */
  readonly webUrl: string;
  readonly httpUrl: string;
  /** The HTTP API for machine clients (docs/http-api.md). */
  readonly apiUrl: string;
  readonly managementUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly dataDir: string;
  readonly dynamoDbPid: number;
  readonly region: string;
  readonly readyMs: number;
  /** Table names by `<stack>/<logicalId>`. */
  readonly tables: Record<string, string>;
  /** Queue URLs by `<stack>/<logicalId>`. */
  readonly queues: Record<string, string>;
  /** The extra services (Bedrock, web client) and their URLs as the banner shows them. */
  readonly services: ReadonlyArray<{ readonly name: string; readonly url: string }>;
}

export interface RuntimeEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface LocalParleyProcess extends ReadyEvent {
  readonly process: ChildProcess;
  /** Every event the runtime printed (requests, batches). */
  readonly events: RuntimeEvent[];
  /** A token from the runtime's identity provider (valid 30 days unless told otherwise). */
  token(name: string, options?: { expiresInSeconds?: number }): Promise<string>;
  /** Opens a WebSocket as `name`, or with the given query string; stop() closes it. */
  connect(nameOrQuery: string | { query: string }): Promise<TestClient>;
  /** Resolves once an event matching `predicate` has been printed. */
  waitForEvent(predicate: (event: RuntimeEvent) => boolean, timeoutMs?: number): Promise<RuntimeEvent>;
  /** What the runtime wrote to stderr (the last 8000 characters). */
  stderr(): string;
  /**
   * Closes every client it connected, sends SIGTERM (or `signal`, to the
   * whole process group when started `detached`, as a terminal's Ctrl-C
   * does), waits for the process to exit and removes its data.
   */
  stop(options?: { signal?: NodeJS.Signals }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  /** `<module>#<export>` of a CDK app factory; default Parley's own app. */
  readonly app?: string;
  /** Extra environment (e.g. PARLEY_IDLE_TIMEOUT_SECONDS). */
  readonly env?: Record<string, string>;
  readonly startTimeoutMs?: number;
  /** Runs the runtime in a process group of its own, like a terminal's foreground job. */
  readonly detached?: boolean;
}

/**
 * Starts the local runtime the way a person does (`npm start`), as a child
 * process on fresh ports with a fresh, in-memory data folder, and resolves
 * when it reports ready. The synthesized app is cached per app under
 * `.parley/test-cdk.out`, so only the first suite pays for the synth.
 */
export async function startLocalParley(options: StartOptions = {}): Promise<LocalParleyProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const appName = options.app ? options.app.replace(/\W+/g, '-').slice(-60) : 'parley';
  const args = [
    '--import',
    'tsx',
    join(REPO_ROOT, 'scripts/local/main.ts'),
    '--json',
    '--in-memory',
    '--data',
    dataDir,
    '--cdk-out',
    join(REPO_ROOT, '.parley', 'test-cdk.out', appName),
    ...(options.app ? ['--app', options.app] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PARLEY_WS_PORT: '0',
      PARLEY_HTTP_PORT: '0',
      PARLEY_API_PORT: '0',
      PARLEY_DYNAMODB_PORT: '0',
      PARLEY_SQS_PORT: '0',
      PARLEY_EVENTS_PORT: '0',
      PARLEY_WEB_PORT: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const events: RuntimeEvent[] = [];
  const listeners = new Set<(event: RuntimeEvent) => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const event = JSON.parse(line) as RuntimeEvent;
    events.push(event);
    for (const listener of listeners) listener(event);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  const waitForEvent = (predicate: (event: RuntimeEvent) => boolean, timeoutMs = 20_000): Promise<RuntimeEvent> => {
    const seen = events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveEvent, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`No matching runtime event within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: RuntimeEvent) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolveEvent(event);
      };
      listeners.add(listener);
    });
  };

  const ready = (await Promise.race([
    waitForEvent((e) => e.event === 'ready', options.startTimeoutMs ?? 110_000),
    exited.then(({ code }) => {
      throw new Error(`The local runtime exited (code ${code}) before it was ready:\n${stderr}`);
    }),
  ]).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    // A start that never becomes ready says how far it got: its last events and what it wrote to stderr.
    if (child.exitCode !== null) throw error;
    const reached = events.slice(-5).map((event) => JSON.stringify(event)).join('\n') || '(no event)';
    throw new Error(`${(error as Error).message}. Its last events:\n${reached}\nIts stderr:\n${stderr || '(empty)'}`, { cause: error });
  })) as unknown as ReadyEvent;

  const identity = await loadIdentityProvider(dataDir);
  let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  const clients: TestClient[] = [];
  const handle: LocalParleyProcess = {
    ...ready,
    process: child,
    events,
    token: (name, options) => identity.issueToken(name, options),
    async connect(nameOrQuery) {
      const query = typeof nameOrQuery === 'string' ? `token=${await identity.issueToken(nameOrQuery)}` : nameOrQuery.query;
      const client = await TestClient.open(`${ready.wsUrl}?${query}`);
      clients.push(client);
      return client;
    },
    waitForEvent,
    stderr: () => stderr,
    stop(stopOptions = {}) {
      stopped ??= (async () => {
        for (const client of clients) client.socket.terminate();
        const signal = stopOptions.signal ?? 'SIGTERM';
        if (child.exitCode === null && child.signalCode === null) {
          if (options.detached && child.pid !== undefined) process.kill(-child.pid, signal);
          else child.kill(signal);
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const result = await exited;
        clearTimeout(timer);
        rmSync(dataDir, { recursive: true, force: true });
        return result;
      })();
      return stopped;
    },
  };
  return handle;
}

/** A frame the runtime sent to a client. */
export type Frame = Record<string, unknown> & { type?: string; requestId?: string };

/** Thrown when the WebSocket upgrade is refused; carries the HTTP status. */
export class ConnectionRefusedError extends Error {
  constructor(readonly status: number) {
    super(`Connection refused with HTTP ${status}`);
    this.name = 'ConnectionRefusedError';
  }
}

/** How long a test client waits for a frame by default (see `waitFor`). */
const FRAME_WAIT_MS = 20_000;

/** A WebSocket client that records every frame and awaits the ones it needs. */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  private readonly waiters = new Set<() => void>();
  private nextRequest = 1;
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        this.frames.push({ type: 'unparsable', text });
      }
      for (const waiter of [...this.waiters]) waiter();
    });
    this.closed = new Promise((resolveClose) =>
      socket.once('close', (code, reason) => resolveClose({ code, reason: reason.toString() })),
    );
  }

  static open(url: string): Promise<TestClient> {
    return new Promise((resolveOpen, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolveOpen(new TestClient(socket)));
      socket.once('unexpected-response', (_request, response) => {
        reject(new ConnectionRefusedError(response.statusCode ?? 0));
        response.resume();
        socket.terminate();
      });
      socket.once('error', (error) => reject(error));
    });
  }

  /**
   * Resolves with the first frame (already received or future) that
   * matches. The default bound is no timing: it is generous so that a
   * machine loaded by the rest of the suite (a stalled ack once took over
   * 10 s there) fails only when a frame is really missing.
   */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs = FRAME_WAIT_MS): Promise<Frame> {
    return new Promise((resolveFrame, reject) => {
      const check = () => {
        const frame = this.frames.find(predicate);
        if (!frame) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolveFrame(frame);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`No matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Resolves once `count` frames match. */
  async waitForCount(predicate: (frame: Frame) => boolean, count: number, timeoutMs = FRAME_WAIT_MS): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.frames.filter(predicate);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Only ${matching.length} of ${count} frames within ${timeoutMs} ms`);
      await new Promise<void>((resolveNext) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolveNext();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  send(text: string): void {
    this.socket.send(text);
  }

  /** Sends `{action, requestId, ...payload}` and resolves with its ack or error frame. */
  async request(action: string, payload: Record<string, unknown> = {}): Promise<Frame> {
    const requestId = `r${this.nextRequest++}`;
    this.send(JSON.stringify({ action, requestId, ...payload }));
    return this.waitFor((f) => f.requestId === requestId && (f.type === 'ack' || f.type === 'error'));
  }

  /** Like `request`, but fails unless the answer is an ack; resolves with its data. */
  async ok<T = Record<string, unknown>>(action: string, payload: Record<string, unknown> = {}): Promise<T> {
    const frame = await this.request(action, payload);
    if (frame.type !== 'ack') throw new Error(`${action} failed: ${JSON.stringify(frame)}`);
    return frame['data'] as T;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close(1000);
    return this.closed;
  }
}
