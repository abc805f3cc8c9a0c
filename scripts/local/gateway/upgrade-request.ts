import type { IncomingMessage } from 'node:http';
import type { RequestTarget } from '../http-guard';

/** What API Gateway passes of a WebSocket upgrade request to `$connect` and its authorizer. */
export interface UpgradeRequest {
  /** The query string with its `?`; empty when there is none. */
  readonly search: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly queryStringParameters: Record<string, string>;
  readonly multiValueQueryStringParameters: Record<string, string[]>;
}

/** Reads the headers and query string the way API Gateway presents them: repeated values joined by commas. */
export function parseUpgradeRequest(req: Pick<IncomingMessage, 'headers'>, target: RequestTarget): UpgradeRequest {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of target.searchParams) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  return { search: target.search, headers, multiValueHeaders, queryStringParameters, multiValueQueryStringParameters };
}

/** An RFC 7230 token, the shape of a subprotocol name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why an upgrade request is not a valid WebSocket handshake (RFC 6455 §4.2.1),
 * or undefined. Checked before the authorizer and `$connect` run, so a
 * request the handshake would refuse never reaches the app.
 */
export function handshakeProblem(req: Pick<IncomingMessage, 'method' | 'headers'>): string | undefined {
  if (req.method !== 'GET') return 'The method must be GET';
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return 'Upgrade must be websocket';
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key)) return 'Malformed Sec-WebSocket-Key';
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'Unsupported Sec-WebSocket-Version';
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols !== undefined && !protocols.split(',').every((p) => TOKEN.test(p.trim()))) {
    return 'Malformed Sec-WebSocket-Protocol';
  }
  return undefined;
}

/**
 * The subprotocol a `$connect` response selects: its `Sec-WebSocket-Protocol`
 * header (any case), as API Gateway returns it to the client. Undefined when
 * the response names none, so the handshake answers without one.
 */
export function selectedSubprotocol(headers: Record<string, unknown> | undefined): string | undefined {
  if (headers === undefined || headers === null || typeof headers !== 'object') return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'sec-websocket-protocol') continue;
    return typeof value === 'string' && TOKEN.test(value.trim()) ? value.trim() : undefined;
  }
  return undefined;
}

/**
 * The values of an authorizer's identity sources (`route.request.querystring.token`,
 * `route.request.header.Authorization`); undefined for each one the request lacks.
 */
export const identitySourceValues = (request: UpgradeRequest, sources: readonly string[]): Array<string | undefined> =>
  sources.map((source) => {
    const [, where, name] = /^route\.request\.(querystring|header)\.(.+)$/.exec(source) ?? [];
    return where === 'querystring'
      ? request.queryStringParameters[name ?? '']
      : request.headers[(name ?? '').toLowerCase()];
  });
