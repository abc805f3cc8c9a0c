import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { WebSocketGateway } from './gateway/websocket-gateway';
import type { LocalIdentityProvider } from './identity/identity-provider';
import { listen } from './ports';

export interface ManagementServerOptions {
  readonly port: number;
  readonly identity: LocalIdentityProvider;
  /** Each serves its own stage's `/{stage}/@connections/{id}`. */
  readonly gateways: readonly WebSocketGateway[];
}

export interface ManagementServer {
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, body: string): void => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
};

const forbidden = (res: ServerResponse): void => {
  res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' });
  res.end(JSON.stringify({ message: 'Forbidden' }));
};

/**
 * Serves, on 127.0.0.1, the WebSocket APIs' management API, the identity
 * provider's `/.well-known/jwks.json` and `/health`; any other path is
 * answered 403, as API Gateway does.
 */
export async function startManagementServer(options: ManagementServerOptions): Promise<ManagementServer> {
  const { identity, gateways } = options;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === '/.well-known/jwks.json' && req.method === 'GET') return sendJson(res, JSON.stringify(identity.jwks));
    if (path === '/health') return sendJson(res, '{"status":"ok"}');
    for (const gateway of gateways) if (gateway.handleManagement(req, res, path)) return;
    forbidden(res);
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  await listen(server, options.port, 'management API and JWKS', 'PARLEY_HTTP_PORT');
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
