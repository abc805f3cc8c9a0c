import type { LocalCorsRule } from '../model';

/**
 * S3's CORS answers for the local engine, from a bucket's rules as the
 * template sets them: fauxqs answers no preflight and sends no CORS headers,
 * so a browser could not post a presigned form to it. The rules are matched
 * as S3 matches them: the first rule whose origin, method and requested
 * headers all match answers; `*` in an origin or header pattern matches any
 * run of characters, header names ignore case.
 */

/** What of a request decides its CORS answer. */
export interface CorsRequest {
  readonly method: string;
  readonly origin: string | undefined;
  /** A preflight's `Access-Control-Request-Method`. */
  readonly requestMethod?: string | undefined;
  /** A preflight's `Access-Control-Request-Headers`, comma separated. */
  readonly requestHeaders?: string | undefined;
}

/** The answer: `allowed` false is S3's 403 to a preflight no rule allows; headers go on the response either way. */
export interface CorsAnswer {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
}

const patternMatches = (pattern: string, value: string, ignoreCase: boolean): boolean => {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, ignoreCase ? 'i' : '').test(value);
};

const listOf = (header: string | undefined): string[] =>
  (header ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

/** The first rule that allows `origin` to send `method` with `headers`. */
function ruleFor(rules: readonly LocalCorsRule[], origin: string, method: string, headers: readonly string[]): LocalCorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((pattern) => patternMatches(pattern, origin, false)) &&
      rule.AllowedMethods.includes(method.toUpperCase()) &&
      headers.every((header) => (rule.AllowedHeaders ?? []).some((pattern) => patternMatches(pattern, header, true))),
  );
}

/**
 * The CORS answer to a request for a bucket with `rules`; undefined when the
 * request is no CORS request (no `Origin`), which S3 answers as usual.
 */
export function corsAnswer(rules: readonly LocalCorsRule[], request: CorsRequest): CorsAnswer | undefined {
  const origin = request.origin;
  if (origin === undefined || origin === '') return undefined;
  const preflight = request.method.toUpperCase() === 'OPTIONS';
  const method = preflight ? (request.requestMethod ?? '') : request.method;
  const requested = preflight ? listOf(request.requestHeaders) : [];
  const rule = ruleFor(rules, origin, method, requested);
  if (rule === undefined) return { allowed: false, headers: {} };
  const anyOrigin = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (preflight) {
    headers['access-control-allow-methods'] = rule.AllowedMethods.join(', ');
    if (requested.length > 0) headers['access-control-allow-headers'] = requested.join(', ');
    if (rule.MaxAge !== undefined) headers['access-control-max-age'] = String(rule.MaxAge);
  } else if ((rule.ExposedHeaders ?? []).length > 0) {
    headers['access-control-expose-headers'] = (rule.ExposedHeaders ?? []).join(', ');
  }
  return { allowed: true, headers };
}

/** The bucket a path-style S3 request names (`/<bucket>/<key>`), or undefined for the root. */
export function bucketOfPath(url: string): string | undefined {
  const [segment] = new URL(url, 'http://local').pathname.slice(1).split('/');
  return segment ? decodeURIComponent(segment) : undefined;
}
