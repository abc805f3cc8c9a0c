import { readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { displayNameProblem } from '../../../lambdas/domain/display-name';
import { buildWebClient, WEB_ROOT, type WebClientFiles } from '../../../web/build';
import { guardRequests, type RequestTarget, type ServerErrorEntry } from '../http-guard';
import { loadIdentityProvider, type LocalIdentityProvider } from '../identity/identity-provider';
import { listen } from '../ports';
import type { LocalService, StartedLocalService } from '../runtime';

/**
 * The browser client, served by `npm start`: the same build the stack
 * deploys, a `config.json` pointing at the local WebSocket API, and the
 * local sign-in endpoint (`POST /local/token`), which issues a token from the
 * local identity provider for any name (and, with `displayName`, a token for
 * that person carrying a display name they chose in Parley). It exists only here: the deployed
 * client signs in with Cognito.
 */

export interface WebClientServiceOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** The local WebSocket API URL, known once the runtime is up. */
  readonly wsUrl: () => string | undefined;
  /** The local S3 endpoint, where the page posts room documents' presigned upload forms. */
  readonly s3Url: () => string | undefined;
  /** The local HTTP API (config.json's `apiUrl`): the Integrations panel calls it, the embeddable widget asks it for guest tokens. */
  readonly apiUrl?: () => string | undefined;
}

const TOKEN_PATH = '/local/token';

/**
 * What answers for every agent here, whatever model it names: the local
 * Bedrock endpoint's backend (scripts/local/bedrock/local-bedrock.ts), so
 * the agent panel does not claim a model that is not running.
 */
export const localModelServedBy = (env: NodeJS.ProcessEnv = process.env): string =>
  env['PARLEY_OPENAI_BASE_URL']
    ? `local OpenAI-compatible server${env['PARLEY_OPENAI_MODEL'] ? ` (${env['PARLEY_OPENAI_MODEL']})` : ''}`
    : 'offline model';
const MAX_NAME = 64;
const MAX_BODY = 1024;

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The newest modification time under the client's sources, to rebuild after an edit. */
function sourcesChangedAt(dir = WEB_ROOT): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? sourcesChangedAt(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const readBody = (req: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * The page's content security policy locally: its own files, the local
 * WebSocket API and the local S3 (where the Documents tab posts presigned
 * upload forms), as the deployed one names the API and the documents bucket.
 */
export function localContentSecurityPolicy(wsUrl: string | undefined, s3Url: string | undefined, apiUrl?: string): string {
  const wsOrigin = wsUrl === undefined ? undefined : new URL(wsUrl).origin.replace(/^http/, 'ws');
  const s3Origin = s3Url === undefined ? undefined : new URL(s3Url).origin;
  const apiOrigin = apiUrl === undefined ? undefined : new URL(apiUrl).origin;
  return [
    "default-src 'self'",
    ["connect-src 'self'", wsOrigin, s3Origin, apiOrigin].filter((part) => part !== undefined).join(' '),
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A `LocalService` for `startLocalParley`: the runtime starts it, prints its URL and stops it. */
export function webClientService(options: WebClientServiceOptions): LocalService {
  return {
    name: 'Web client',
    async start({ dataDir, onServerError }): Promise<StartedLocalService> {
      const identity = await loadIdentityProvider(dataDir);
      // Its URL is known once it listens: port 0 is chosen as it is bound.
      const server = await startWebClientServer({ ...options, identity, onServerError });
      return { url: server.url, environment: {}, stop: server.stop };
    },
  };
}

interface WebClientServer {
  readonly url: string;
  stop(): Promise<void>;
}

async function startWebClientServer(
  options: WebClientServiceOptions & {
    readonly identity: LocalIdentityProvider;
    readonly onServerError: (entry: ServerErrorEntry) => void;
  },
): Promise<WebClientServer> {
  let built: WebClientFiles = buildWebClient({ minify: false, sourceMaps: true });
  let builtAt = sourcesChangedAt();
  let port = 0;

  const securityHeaders = (): Record<string, string> => ({
    'content-security-policy': localContentSecurityPolicy(options.wsUrl(), options.s3Url(), options.apiUrl?.()),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });

  const send = (res: ServerResponse, status: number, body: string | Uint8Array, type: string, cache = 'no-cache') =>
    res.writeHead(status, { ...securityHeaders(), 'content-type': type, 'cache-control': cache }).end(body);
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, JSON.stringify(value), CONTENT_TYPES['json'] as string, 'no-store');

  const issueToken = async (req: IncomingMessage, res: ServerResponse) => {
    // A JSON body forces a CORS preflight, which this server never approves:
    // other sites cannot mint tokens through a visitor's browser.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { message: 'Send JSON: {"name": "…"}.' });
    }
    const body = await readBody(req);
    let fields: { name?: unknown; displayName?: unknown } = {};
    try {
      fields = (JSON.parse(body ?? '') as typeof fields | null) ?? {};
    } catch {
      fields = {};
    }
    const { name, displayName } = fields;
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > MAX_NAME) {
      return json(res, 400, { message: `A name of 1 to ${MAX_NAME} characters is needed.` });
    }
    if (displayName !== undefined && (typeof displayName !== 'string' || displayNameProblem(displayName) !== undefined)) {
      return json(res, 400, { message: typeof displayName === 'string' ? displayNameProblem(displayName) : 'displayName must be text.' });
    }
    return json(res, 200, {
      token: await options.identity.issueToken(name.trim(), {
        expiresInSeconds: 7 * 86_400,
        ...(displayName === undefined ? {} : { displayName: displayName.trim() }),
      }),
    });
  };

  // The guard refuses other host names first: a page on another domain that
  // re-resolves to 127.0.0.1 (DNS rebinding) is refused before anything is served.
  const handle = async (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => {
    const path = target.path;
    if (req.method === 'POST' && path === TOKEN_PATH) return issueToken(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { message: 'Method not allowed.' });
    if (path === '/config.json') {
      const wsUrl = options.wsUrl();
      if (wsUrl === undefined) return json(res, 503, { message: 'Parley is still starting.' });
      const apiUrl = options.apiUrl?.();
      return json(res, 200, {
        wsUrl,
        ...(apiUrl === undefined ? {} : { apiUrl }),
        modelServedBy: localModelServedBy(),
        auth: { kind: 'local', tokenUrl: TOKEN_PATH },
      });
    }
    if (path === '/' || path === '/index.html') {
      const changedAt = sourcesChangedAt();
      if (changedAt > builtAt) {
        built = buildWebClient({ minify: false, sourceMaps: true });
        builtAt = changedAt;
      }
    }
    const file = built.files.get(path === '/' ? 'index.html' : path.slice(1));
    if (file === undefined) return json(res, 404, { message: 'Not found.' });
    const extension = path === '/' ? 'html' : (path.split('.').pop() ?? '');
    const immutable = built.immutable.includes(path.slice(1));
    return send(res, 200, file, CONTENT_TYPES[extension] ?? 'application/octet-stream', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  };

  const server = createServer(
    guardRequests<IncomingMessage, ServerResponse>(
      {
        server: 'Web client',
        port: () => port,
        onError: options.onServerError,
        reply: (res, status, message) => json(res, status, { message }),
      },
      handle,
    ),
  );
  port = await listen(server, options.port, 'web client', 'PARLEY_WEB_PORT');
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
