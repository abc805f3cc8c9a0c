/**
 * The local runtime's own functions reach its management API without HTTP.
 *
 * A function posting to a WebSocket client calls `PostToConnection` through
 * the unchanged SDK client: the SDK builds, signs and sends the request with
 * `http.request`, and parses the answer, as in AWS. Locally that HTTP round
 * trip (the client's headers and parser in the function's thread, the
 * server's in the runtime's main thread, two socket writes) cost more than
 * the post itself. Installed in a function's thread before its code loads,
 * this replaces `http.request` for requests to the management API's
 * `@connections` paths only: the request goes to the main thread as a
 * message, and the SDK reads the answer (status, headers, body) from a
 * response stream as it would from the socket. Every other request keeps
 * Node's own `http.request`.
 *
 * Runs inside the function's worker thread (Node strips the types), so it
 * imports nothing but Node's own modules.
 */
import { EventEmitter } from 'node:events';
import type * as Http from 'node:http';
import { Readable } from 'node:stream';

/** Where the management API listens, as the functions' environment names it. */
export interface ManagementOrigin {
  readonly hostname: string;
  readonly port: number;
}

/** A management API request as it crosses to the main thread. */
export interface FastPathRequest {
  readonly method: string;
  /** The path still percent-encoded. */
  readonly rawPath: string;
  readonly body: string;
}

/** The main thread's answer. */
export interface FastPathAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

type Call = (request: FastPathRequest) => Promise<FastPathAnswer>;

const CONNECTIONS_PATH = /^(?:\/[^/?]+)?\/(?:@|%40)connections\//i;

interface RequestOptions {
  readonly host?: string | null;
  readonly hostname?: string | null;
  readonly port?: number | string | null;
  readonly method?: string;
  readonly path?: string | null;
}

/** Whether `http.request(options)` addresses the management API's connections. */
export function isManagementRequest(options: unknown, origin: ManagementOrigin): options is RequestOptions {
  if (typeof options !== 'object' || options === null || options instanceof URL) return false;
  const o = options as RequestOptions;
  const host = o.hostname ?? o.host;
  return host === origin.hostname && Number(o.port) === origin.port && CONNECTIONS_PATH.test(o.path ?? '');
}

/**
 * The part of Node's `ClientRequest` the SDK's HTTP handler uses: `end` with
 * the body, `setTimeout`, `destroy`, and the `response`, `error` and `close`
 * events. It has no socket: the handler's socket timers never start.
 */
class FastPathRequestStream extends EventEmitter {
  private readonly chunks: Buffer[] = [];
  private destroyed = false;
  readonly socket = undefined;
  // Plain fields, no parameter properties: Node's type stripping does not take them.
  private readonly options: RequestOptions;
  private readonly call: Call;

  constructor(options: RequestOptions, call: Call, onResponse: ((res: Http.IncomingMessage) => void) | undefined) {
    super();
    this.options = options;
    this.call = call;
    if (onResponse) this.once('response', onResponse);
  }

  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(Buffer.from(chunk));
    return true;
  }

  end(chunk?: string | Uint8Array | (() => void)): this {
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
    const request = {
      method: (this.options.method ?? 'GET').toUpperCase(),
      rawPath: (this.options.path ?? '').split('?')[0] as string,
      body: Buffer.concat(this.chunks).toString('utf8'),
    };
    this.call(request).then(
      (answer) => this.respond(answer),
      (error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))),
    );
    return this;
  }

  setTimeout(): this {
    return this;
  }

  setNoDelay(): void {}

  setSocketKeepAlive(): void {}

  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (error) this.emit('error', error);
    this.emit('close');
    return this;
  }

  private respond(answer: FastPathAnswer): void {
    if (this.destroyed) return;
    const response = Readable.from(answer.body === '' ? [] : [Buffer.from(answer.body)]) as Readable & Record<string, unknown>;
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), value]));
    headers['content-length'] = String(Buffer.byteLength(answer.body));
    Object.assign(response, { statusCode: answer.status, statusMessage: '', headers, complete: true });
    this.emit('response', response);
    response.once('end', () => this.destroy());
  }

  private fail(error: Error): void {
    if (this.destroyed) return;
    this.destroy(Object.assign(error, { code: 'ECONNREFUSED' }));
  }
}

/**
 * Replaces `http.request` on Node's `http` module object (the one the SDK
 * imports) so that calls to the management API's connections go through
 * `call`; any other request, and any call shape other than `(options,
 * callback)`, is left to Node.
 */
export function installManagementFastPath(http: typeof Http, origin: ManagementOrigin, call: Call): void {
  const original = http.request;
  const request = (...args: unknown[]) => {
    const [options, callback] = args;
    if (args.length <= 2 && isManagementRequest(options, origin) && (callback === undefined || typeof callback === 'function')) {
      return new FastPathRequestStream(options, call, callback as ((res: Http.IncomingMessage) => void) | undefined);
    }
    return (original as (...a: unknown[]) => unknown)(...args);
  };
  (http as { request: unknown }).request = request;
}
