/**
 * Runs inside a worker thread, one per warm function instance, like a Lambda
 * execution environment: it imports the function's bundled code once (the
 * cold start) and then handles invocations one at a time. Node runs this file
 * directly (type stripping), so it imports nothing but Node's own modules.
 */
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { FastPathAnswer, FastPathRequest, ManagementOrigin } from './management-fast-path';

interface WorkerConfig {
  readonly handlerFile: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
  /** Report the thread's CPU time per invocation (see FunctionPoolOptions.onInvocation). */
  readonly measureCpu?: boolean;
  /** The runtime's management API: requests to its connections go to the main thread as messages. */
  readonly managementOrigin?: ManagementOrigin;
}

interface ManagementAnswerMessage {
  readonly type: 'management-answer';
  readonly id: number;
  readonly answer?: FastPathAnswer;
  readonly error?: string;
}

interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly requestId: string;
  readonly deadlineMs: number;
  readonly event: string;
}

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

const config = workerData as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('function-worker must run in a worker thread');

const describe = (error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  return { errorType: e.name || 'Error', errorMessage: e.message, stack: e.stack ?? '' };
};

const managementCalls = new Map<number, { resolve: (a: FastPathAnswer) => void; reject: (e: Error) => void }>();
if (config.managementOrigin) {
  // Before the function's code loads, so its SDK clients find the fast path.
  type FastPath = typeof import('./management-fast-path');
  const fastPath = (await import(new URL('./management-fast-path.ts', import.meta.url).href)) as FastPath;
  let nextCall = 1;
  fastPath.installManagementFastPath(http, config.managementOrigin, (request: FastPathRequest) => {
    const id = nextCall++;
    return new Promise<FastPathAnswer>((resolve, reject) => {
      managementCalls.set(id, { resolve, reject });
      port.postMessage({ type: 'management', id, request });
    });
  });
  syncBuiltinESMExports();
}

let handler: Handler | undefined;
try {
  const module = (await import(pathToFileURL(config.handlerFile).href)) as Record<string, unknown>;
  const exported = module[config.exportName] ?? (module['default'] as Record<string, unknown> | undefined)?.[config.exportName];
  if (typeof exported !== 'function') {
    throw new Error(`${config.handlerFile} does not export a function named "${config.exportName}"`);
  }
  handler = exported as Handler;
  port.postMessage({ type: 'ready' });
} catch (error) {
  port.postMessage({ type: 'init-error', error: describe(error) });
}

port.on('message', async (message: InvokeMessage | ManagementAnswerMessage) => {
  if (message.type === 'management-answer') {
    const call = managementCalls.get(message.id);
    managementCalls.delete(message.id);
    if (message.answer) call?.resolve(message.answer);
    else call?.reject(new Error(message.error ?? 'The management API did not answer'));
    return;
  }
  if (message.type !== 'invoke' || !handler) return;
  const context = {
    awsRequestId: message.requestId,
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: config.functionArn,
    memoryLimitInMB: String(config.memoryMb),
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
  // This thread's own CPU time (user + system), not the process's: other
  // functions' threads and the runtime's main thread run beside it.
  const cpuBefore = config.measureCpu ? process.threadCpuUsage() : undefined;
  const cpuMicros = () => {
    if (!cpuBefore) return undefined;
    const used = process.threadCpuUsage(cpuBefore);
    return used.user + used.system;
  };
  try {
    const event = JSON.parse(message.event) as unknown;
    const run = handler;
    const result =
      run.length >= 3
        ? await new Promise((resolve, reject) => {
            const maybe = run(event, context, (error, value) => (error ? reject(error) : resolve(value)));
            if (maybe && typeof (maybe as Promise<unknown>).then === 'function') {
              (maybe as Promise<unknown>).then(resolve, reject);
            }
          })
        : await run(event, context);
    // Lambda returns the result serialized as JSON.
    const payload = result === undefined ? null : JSON.stringify(result);
    port.postMessage({ type: 'result', id: message.id, ok: true, payload, cpuMicros: cpuMicros() });
  } catch (error) {
    port.postMessage({ type: 'result', id: message.id, ok: false, error: describe(error), cpuMicros: cpuMicros() });
  }
});
