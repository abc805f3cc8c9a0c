import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from '../model';
import type { FastPathAnswer, FastPathRequest, ManagementOrigin } from './management-fast-path';

/** The function threw, timed out, or its instance crashed. */
export class FunctionInvocationError extends Error {
  requestId?: string;
  durationMs?: number;

  constructor(
    message: string,
    readonly errorType: string,
    readonly kind: 'error' | 'timeout' | 'init' | 'crash',
  ) {
    super(message);
    this.name = 'FunctionInvocationError';
  }
}

export interface Invocation<T = unknown> {
  readonly requestId: string;
  readonly durationMs: number;
  readonly coldStart: boolean;
  readonly result: T;
}

/** One finished invocation, as `FunctionPoolOptions.onInvocation` receives it. */
export interface InvocationReport {
  /** The function's key in the app (`<stack>/<logicalId>`). */
  readonly functionKey: string;
  readonly durationMs: number;
  /** CPU time of the instance's thread while it ran this invocation (user + system). */
  readonly cpuMs: number;
  readonly ok: boolean;
}

export interface FunctionPoolOptions {
  /** Warm instances kept per function (and the most that run at once). */
  readonly maxInstancesPerFunction: number;
  /** Environment every function gets before its own variables. */
  readonly baseEnvironment: Record<string, string>;
  /** Values that replace variables a function has, its template's or the runtime's own such as AWS_ENDPOINT_URL_DYNAMODB (never add one). */
  readonly environmentOverrides?: Readonly<Record<string, string>>;
  /** Where function output (console, Powertools logs) goes. */
  readonly logFile?: string;
  /** Also copy function output to this process's stdout. */
  readonly echoLogs?: boolean;
  /**
   * Called after every invocation with its thread CPU time; when set, each
   * worker measures it with `process.threadCpuUsage()` around the handler.
   */
  readonly onInvocation?: (report: InvocationReport) => void;
  /**
   * The runtime's management API, answered in-process: a function's requests
   * to `origin`'s connections reach `call` as messages instead of HTTP (see
   * management-fast-path.ts).
   */
  readonly managementFastPath?: {
    readonly origin: ManagementOrigin;
    readonly call: (request: FastPathRequest) => FastPathAnswer;
  };
  /**
   * Write a V8 CPU profile (`--cpu-prof`) of each instance of the functions
   * whose key contains `only` (all when absent) to `dir` when it ends.
   * Profile few functions at a time: each profiled instance has a sampling thread.
   */
  readonly cpuProfile?: { readonly dir: string; readonly only?: string };
}

/** The overrides whose variable the function already has. */
const overridesOf = (
  environment: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> => Object.fromEntries(Object.entries(overrides).filter(([name]) => name in environment));

/**
 * The name of a function's worker threads, as `ps -L`, `top -H` and
 * /proc/<pid>/task/<tid>/comm show it (Linux keeps 15 bytes): `fn ` and the
 * function's logical id without CDK's hash and the word Function, so a CPU
 * figure per thread can be put down to its function.
 */
export const threadNameOf = (key: string): string => {
  const logicalId = key.slice(key.lastIndexOf('/') + 1);
  const bare = logicalId.replace(/[0-9A-F]{8}$/, '').replace(/Function$/, '') || logicalId;
  return `fn ${bare}`.slice(0, 15);
};

/** The bundle file that exports a handler such as `index.handler`. */
const findHandlerFile = (codeDir: string, handler: string): string => {
  const module = handler.slice(0, handler.lastIndexOf('.'));
  for (const ext of ['.mjs', '.js', '.cjs']) {
    const file = join(codeDir, module + ext);
    if (existsSync(file)) return file;
  }
  return join(codeDir, `${module}.mjs`);
};

interface Instance {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: boolean;
  used: boolean;
  dead: boolean;
}

/** What a function worker posts back (see function-worker.ts). */
interface WorkerMessage {
  readonly type: 'ready' | 'init-error' | 'result' | 'management';
  readonly request?: FastPathRequest;
  readonly id?: number;
  readonly ok?: boolean;
  readonly payload?: string | null;
  readonly error?: { errorType: string; errorMessage: string; stack: string };
  readonly cpuMicros?: number;
}

interface Pending {
  resolve: (value: { payload: string | null; cpuMicros?: number }) => void;
  reject: (error: Error) => void;
}

/**
 * Runs each function's bundled code in worker threads, each with the
 * function's own environment (functions never share process.env), keeping
 * warm instances per function up to a bound, and enforcing the template's
 * timeout by terminating the instance.
 */
export class FunctionPool {
  private readonly instances = new Map<string, Instance[]>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly pending = new Map<Worker, Map<number, Pending>>();
  private readonly log: WriteStream | undefined;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly functions: ReadonlyMap<string, LocalFunction>,
    private readonly options: FunctionPoolOptions,
  ) {
    this.log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  }

  get(key: string): LocalFunction {
    const fn = this.functions.get(key);
    if (!fn) throw new Error(`No function ${key} in the app`);
    return fn;
  }

  /** Starts one instance of each function in the background, so first requests are warm. */
  warm(keys: Iterable<string>): void {
    for (const key of keys) {
      const list = this.instances.get(key) ?? [];
      if (list.length === 0) {
        const instance = this.spawn(this.get(key));
        this.instances.set(key, [...list, instance]);
        instance.ready.catch(() => undefined);
      }
    }
  }

  /** Invokes a function synchronously (RequestResponse) with a JSON event. */
  async invoke<T = unknown>(key: string, event: unknown): Promise<Invocation<T>> {
    const fn = this.get(key);
    const requestId = randomUUID();
    const instance = await this.acquire(fn);
    const coldStart = !instance.used;
    instance.used = true;
    const started = performance.now();
    try {
      await instance.ready;
      const timeoutMs = fn.timeoutSeconds * 1000;
      const id = this.nextId++;
      const outcome = await new Promise<{ payload: string | null; cpuMicros?: number }>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.kill(fn.key, instance);
          reject(
            new FunctionInvocationError(
              `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              'Sandbox.Timedout',
              'timeout',
            ),
          );
        }, timeoutMs);
        this.pending.get(instance.worker)?.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        instance.worker.postMessage({
          type: 'invoke',
          id,
          requestId,
          deadlineMs: Date.now() + timeoutMs,
          event: JSON.stringify(event ?? null),
        });
      });
      const durationMs = performance.now() - started;
      this.options.onInvocation?.({ functionKey: fn.key, durationMs, cpuMs: (outcome.cpuMicros ?? 0) / 1000, ok: true });
      return {
        requestId,
        coldStart,
        durationMs,
        result: (outcome.payload === null ? undefined : JSON.parse(outcome.payload)) as T,
      };
    } catch (error) {
      if (error instanceof FunctionInvocationError) {
        Object.assign(error, { requestId, durationMs: performance.now() - started });
      }
      const cpuMicros = (error as { cpuMicros?: number }).cpuMicros ?? 0;
      this.options.onInvocation?.({ functionKey: fn.key, durationMs: performance.now() - started, cpuMs: cpuMicros / 1000, ok: false });
      throw error;
    } finally {
      this.release(fn.key, instance);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.instances.values()].flat();
    this.instances.clear();
    await Promise.all(all.map((i) => i.worker.terminate().catch(() => undefined)));
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }

  private spawn(fn: LocalFunction): Instance {
    const exportName = fn.handler.slice(fn.handler.lastIndexOf('.') + 1);
    const worker = new Worker(new URL('./function-worker.ts', import.meta.url), {
      name: threadNameOf(fn.key),
      execArgv: this.profiles(fn) ? ['--cpu-prof', `--cpu-prof-dir=${this.options.cpuProfile?.dir}`] : [],
      env: {
        ...this.options.baseEnvironment,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
        LAMBDA_TASK_ROOT: fn.codeDir,
        ...fn.environment,
        ...overridesOf({ ...this.options.baseEnvironment, ...fn.environment }, this.options.environmentOverrides),
      },
      workerData: {
        handlerFile: findHandlerFile(fn.codeDir, fn.handler),
        exportName,
        functionName: fn.functionName,
        functionArn: fn.arn,
        memoryMb: fn.memoryMb,
        measureCpu: this.options.onInvocation !== undefined,
        ...(this.options.managementFastPath ? { managementOrigin: this.options.managementFastPath.origin } : {}),
      },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(fn.memoryMb, 128) },
    });
    const sink = (chunk: Buffer) => {
      this.log?.write(chunk);
      if (this.options.echoLogs) process.stdout.write(chunk);
    };
    worker.stdout.on('data', sink);
    worker.stderr.on('data', sink);
    const pending = new Map<number, Pending>();
    this.pending.set(worker, pending);
    let instance!: Instance;
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'management') return this.answerManagement(worker, message);
        if (message.type === 'ready') resolve();
        else if (message.type === 'init-error') {
          const e = message.error;
          this.log?.write(`${fn.functionName} init error: ${e?.stack ?? e?.errorMessage}\n`);
          const type = e?.errorType ?? 'Runtime.ImportModuleError';
          reject(new FunctionInvocationError(e?.errorMessage ?? 'init failed', type, 'init'));
          this.kill(fn.key, instance);
        } else if (message.type === 'result' && message.id !== undefined) {
          const waiter = pending.get(message.id);
          pending.delete(message.id);
          if (!waiter) return;
          if (message.ok) waiter.resolve({ payload: message.payload ?? null, ...(message.cpuMicros === undefined ? {} : { cpuMicros: message.cpuMicros }) });
          else {
            const e = message.error;
            this.log?.write(`${fn.functionName} error: ${e?.stack ?? e?.errorMessage}\n`);
            const failure = new FunctionInvocationError(e?.errorMessage ?? 'error', e?.errorType ?? 'Error', 'error');
            waiter.reject(Object.assign(failure, { cpuMicros: message.cpuMicros }));
          }
        }
      });
      const crash = (reason: string) => {
        const error = new FunctionInvocationError(reason, 'Runtime.ExitError', 'crash');
        reject(error);
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
        this.kill(fn.key, instance);
      };
      worker.on('error', (error) => {
        this.log?.write(`${fn.functionName} crashed: ${error.stack ?? error.message}\n`);
        crash(`The function's instance crashed: ${error.message}`);
      });
      worker.on('exit', (code) => crash(`The function's instance exited (code ${code})`));
    });
    instance = { worker, ready, busy: false, used: false, dead: false };
    return instance;
  }

  private profiles(fn: LocalFunction): boolean {
    const profile = this.options.cpuProfile;
    return profile !== undefined && fn.key.includes(profile.only ?? '');
  }

  /** A function's management API request, answered as the HTTP server would. */
  private answerManagement(worker: Worker, message: WorkerMessage): void {
    const fastPath = this.options.managementFastPath;
    if (!fastPath || message.id === undefined || !message.request) return;
    try {
      worker.postMessage({ type: 'management-answer', id: message.id, answer: fastPath.call(message.request) });
    } catch (error) {
      worker.postMessage({ type: 'management-answer', id: message.id, error: (error as Error).message });
    }
  }

  private kill(key: string, instance: Instance | undefined): void {
    if (!instance || instance.dead) return;
    instance.dead = true;
    void instance.worker.terminate().catch(() => undefined);
    this.pending.delete(instance.worker);
    const list = this.instances.get(key) ?? [];
    this.instances.set(
      key,
      list.filter((i) => i !== instance),
    );
    this.wakeOne(key);
  }

  private async acquire(fn: LocalFunction): Promise<Instance> {
    const limit = Math.max(1, Math.min(this.options.maxInstancesPerFunction, fn.reservedConcurrency ?? Infinity));
    for (;;) {
      if (this.closed) throw new FunctionInvocationError('The runtime is stopping', 'Runtime.Stopping', 'crash');
      const list = this.instances.get(fn.key) ?? [];
      const idle = list.find((i) => !i.busy && !i.dead);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (list.length < limit) {
        const instance = this.spawn(fn);
        instance.busy = true;
        this.instances.set(fn.key, [...list, instance]);
        return instance;
      }
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(fn.key) ?? [];
        queue.push(resolve);
        this.waiting.set(fn.key, queue);
      });
    }
  }

  private release(key: string, instance: Instance): void {
    instance.busy = false;
    this.wakeOne(key);
  }

  private wakeOne(key: string): void {
    this.waiting.get(key)?.shift()?.();
  }
}
