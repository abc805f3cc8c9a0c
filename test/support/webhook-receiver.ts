import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, type WebhookVerification } from '../../lambdas/domain/integrations/webhooks';

/** One request the receiver got, with what verifying it said. */
export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when it arrived. */
  readonly receivedAt: number;
  /** The status it was answered. */
  readonly status: number;
  /** Against the secret set for its path; undefined when none is set. */
  readonly verification: WebhookVerification | undefined;
}

/** How a path answers its nth request (1-based). */
export type ReceiverScript = (n: number) => number;

/** Answers 500 to the first `failures` requests, then 200. */
export const failTimes = (failures: number): ReceiverScript => (n) => (n <= failures ? 500 : 200);
export const alwaysFail: ReceiverScript = () => 500;
export const gone: ReceiverScript = () => 410;

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Sets how `path` answers (200 until told otherwise). */
  script(path: string, script: ReceiverScript): void;
  /** The secret requests to `path` are verified with. */
  expectSecret(path: string, secret: string): void;
  /** Every request to `path` so far. */
  received(path: string): readonly ReceivedWebhook[];
  /** Resolves with the `n`th request to `path` (1-based) once it has arrived. */
  nth(path: string, n: number, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/**
 * A webhook receiver for tests: an HTTP server on 127.0.0.1 that verifies
 * each request's signature and timestamp with the verifier Parley documents
 * (verifyWebhook), answers as scripted per path, and lets a test await the
 * nth request instead of sleeping.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const scripts = new Map<string, ReceiverScript>();
  const secrets = new Map<string, string>();
  const requests = new Map<string, ReceivedWebhook[]>();
  const waiters = new Set<() => void>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const list = requests.get(path) ?? [];
      const secret = secrets.get(path);
      const verification = secret === undefined ? undefined : verifyWebhook(secret, request.headers, body, Date.now());
      // A request that fails verification is refused, as a real receiver would.
      const status = verification !== undefined && !verification.ok ? 401 : (scripts.get(path) ?? (() => 200))(list.length + 1);
      list.push({ path, headers: request.headers, body, receivedAt: performance.now(), status, verification });
      requests.set(path, list);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    script: (path, script) => void scripts.set(path, script),
    expectSecret: (path, secret) => void secrets.set(path, secret),
    received: (path) => requests.get(path) ?? [],
    nth: (path, n, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.get(path)?.[n - 1];
          if (!found) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`Request ${n} to ${path} did not arrive within ${timeoutMs} ms (got ${requests.get(path)?.length ?? 0}).`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
