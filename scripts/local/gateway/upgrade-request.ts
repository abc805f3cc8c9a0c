import type { IncomingMessage } from 'node:http';

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
export function parseUpgradeRequest(req: IncomingMessage): UpgradeRequest {
  const url = new URL(req.url ?? '/', 'http://local');
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
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  return { search: url.search, headers, multiValueHeaders, queryStringParameters, multiValueQueryStringParameters };
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
