import type { IncomingHttpHeaders } from 'node:http';
import type { IncomingHttpHeaders as Http2IncomingHttpHeaders } from 'node:http2';

/**
 * What every HTTP server of the local runtime (WebSocket upgrade, management
 * API and JWKS, web client, Bedrock) does before its own handler: only
 * loopback names in `Host`, only well-formed request targets, and no error
 * of a handler, sync or async, escapes to stop the process.
 */

/** The names a request may give in `Host` (with the server's port). */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Why a request is refused before its handler runs. */
export interface Refusal {
  readonly status: 400 | 403;
  readonly message: string;
}

/** A request target in origin form (`/path?query`), with its path percent-decoded. */
export interface RequestTarget {
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string;
  /** The path, percent-decoded. */
  readonly path: string;
  readonly searchParams: URLSearchParams;
  /** The query string with its `?`; empty when there is none. */
  readonly search: string;
}

/**
 * Checks a `Host` header (or HTTP/2 `:authority`): one of the loopback names
 * with the server's port. A missing or malformed value is 400, another name
 * (a page on another domain re-resolved to 127.0.0.1, DNS rebinding) is 403.
 */
export function checkHost(host: string | undefined, port: number): Refusal | undefined {
  if (host === undefined || host === '') return { status: 400, message: 'A Host header is required.' };
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match) return { status: 400, message: 'Malformed Host header.' };
  const name = (match[1] as string).toLowerCase();
  if (!LOOPBACK_HOSTS.includes(name) || Number(match[2]) !== port) {
    return { status: 403, message: 'Unknown host: use 127.0.0.1, localhost or [::1] with this port.' };
  }
  return undefined;
}

/** `decodeURIComponent` that answers undefined for a malformed encoding instead of throwing. */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses a request target. Only the origin form (`/path?query`) is accepted;
 * the absolute form (`http://host/path`), `*`, a malformed percent-encoding
 * and control characters answer undefined (the server answers 400).
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  // Control characters (NUL included) and spaces never belong in a target.
  if (/[\u0000-\u0020\u007f]/.test(target)) return undefined;
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const search = queryAt === -1 ? '' : target.slice(queryAt);
  const path = decodeComponent(rawPath);
  if (path === undefined) return undefined;
  return { rawPath, path, search: search === '?' ? '' : search, searchParams: new URLSearchParams(search) };
}

/** The parts of an HTTP/1 or HTTP/2 (compatibility API) request the guard reads. */
export interface GuardedRequest {
  readonly url?: string;
  readonly method?: string;
  readonly headers: IncomingHttpHeaders | Http2IncomingHttpHeaders;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The parts of an HTTP/1 or HTTP/2 (compatibility API) response the guard writes. */
export interface GuardedResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A handler failure or a refused request, for the runtime's log. */
export interface ServerErrorEntry {
  /** The server, as the banner names it (`Management API`, `Web client`…). */
  readonly server: string;
  readonly method: string;
  /** The request target as sent, cut to 200 characters. */
  readonly target: string;
  readonly error: string;
}

export interface GuardOptions<Res extends GuardedResponse> {
  /** The server's name in log lines. */
  readonly server: string;
  /** The port the server listens on, once known (the Host check needs it). */
  readonly port: () => number;
  /** Called for each handler that throws or rejects. */
  readonly onError: (entry: ServerErrorEntry) => void;
  /** How the server answers a refusal or a failure; default `{"message": …}` as JSON. */
  readonly reply?: (res: Res, status: number, message: string) => void;
}

/** The request's host: HTTP/2's `:authority`, else `Host`. */
const hostOf = (req: GuardedRequest): string | undefined => {
  const authority = (req.headers as Http2IncomingHttpHeaders)[':authority'];
  const host = typeof authority === 'string' && authority !== '' ? authority : req.headers.host;
  return typeof host === 'string' ? host : undefined;
};

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `Thrown: ${String(error)}`;

/** A client that left mid-request (its body cut short) is not the server's failure. */
const clientWentAway = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_HTTP2_STREAM_ERROR';
};

const defaultReply = (res: GuardedResponse, status: number, message: string): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message }));
};

/**
 * Wraps a request handler: refuses a foreign or malformed `Host` (403 or
 * 400) and a malformed target (400) before it runs, then catches whatever it
 * throws or rejects with, answers 500 (or ends a response already started)
 * and logs it. Request and response stream errors (a client that goes away)
 * are absorbed.
 */
export function guardRequests<Req extends GuardedRequest, Res extends GuardedResponse>(
  options: GuardOptions<Res>,
  handler: (req: Req, res: Res, target: RequestTarget) => unknown,
): (req: Req, res: Res) => void {
  const reply = options.reply ?? defaultReply;
  const fail = (req: Req, res: Res, error: unknown) => {
    if (clientWentAway(error)) {
      try {
        res.end('');
      } catch {
        // Nothing left to answer.
      }
      return;
    }
    options.onError({
      server: options.server,
      method: String(req.method ?? '-').slice(0, 20),
      target: String(req.url ?? '').slice(0, 200),
      error: describeError(error),
    });
    try {
      if (res.headersSent) res.end('');
      else reply(res, 500, 'Internal server error');
    } catch {
      // The connection is gone already.
    }
  };
  return (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      const refusal = checkHost(hostOf(req), options.port());
      if (refusal) return reply(res, refusal.status, refusal.message);
      const target = parseRequestTarget(req.url);
      if (!target) return reply(res, 400, 'Malformed request target.');
      const outcome = handler(req, res, target);
      if (outcome instanceof Promise) outcome.catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
  };
}
