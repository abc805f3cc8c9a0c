import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { WebSocketGateway } from './gateway/websocket-gateway';
import { guardRequests, type ServerErrorEntry } from './http-guard';
import type { LocalIdentityProvider } from './identity/identity-provider';
import { listen, type HeldPort } from './ports';

export interface ManagementServerOptions {
  /** A port number, or a port held since the runtime started (its URL is in the functions' environment already). */
  readonly port: number | HeldPort;
  readonly identity: LocalIdentityProvider;
  /** Each serves its own stage's `/{stage}/@connections/{id}`. */
  readonly gateways: readonly WebSocketGateway[];
  readonly onServerError: (entry: ServerErrorEntry) => void;
}

export interface ManagementServer {
  readonly port: number;
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, body: string): void => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
};

/** API Gateway's answer to a path it does not serve, and to a refused request. */
const reply = (res: ServerResponse, status: number, message: string): void => {
  const errorType = status === 403 ? 'ForbiddenException' : status === 400 ? 'BadRequestException' : 'InternalServerErrorException';
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': errorType });
  res.end(JSON.stringify({ message: status === 403 ? 'Forbidden' : message }));
};

/**
 * Serves, on 127.0.0.1, the WebSocket APIs' management API, the identity
 * provider's `/.well-known/jwks.json` and `/health`; any other path is
 * answered 403, as API Gateway does.
 */
export async function startManagementServer(options: ManagementServerOptions): Promise<ManagementServer> {
  const { identity, gateways } = options;
  let port = 0;
  const handle = guardRequests<IncomingMessage, ServerResponse>(
    { server: 'Management API', port: () => port, onError: options.onServerError, reply },
    (req, res, target) => {
      if (target.path === '/.well-known/jwks.json' && req.method === 'GET') {
        return sendJson(res, JSON.stringify(identity.jwks));
      }
      if (target.path === '/health') return sendJson(res, '{"status":"ok"}');
      for (const gateway of gateways) if (gateway.handleManagement(req, res, target.rawPath)) return;
      reply(res, 403, 'Forbidden');
    },
  );
  const server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  port = await listen(server, options.port, 'management API and JWKS', 'PARLEY_HTTP_PORT');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
