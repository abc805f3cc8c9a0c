import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FunctionInvocationError, type FunctionPool } from '../functions/function-pool';
import type { LocalRoute, LocalWebSocketApi } from '../model';
import { type AuthorizerResult, policyAllows } from './authorizer-policy';
import { FrameSizeWatcher } from './frame-size-watcher';
import { identitySourceValues, parseUpgradeRequest, type UpgradeRequest } from './upgrade-request';

/** One line per request, for the person watching the terminal. */
export interface RequestLogEntry {
  readonly route: string;
  readonly user: string;
  readonly durationMs: number;
  readonly status: number | 'error' | 'timeout';
  readonly requestId: string;
  readonly error?: string;
}

export interface GatewayOptions {
  readonly api: LocalWebSocketApi;
  readonly functions: FunctionPool;
  readonly region: string;
  readonly accountId: string;
  /** Seconds without client data before API Gateway closes the connection (AWS: 600). */
  readonly idleTimeoutSeconds: number;
  /** Longest a connection may last (AWS: 7200). */
  readonly maxConnectionSeconds: number;
  /** Largest message a client may send (AWS: 128 KB); larger closes with 1009. */
  readonly maxMessageBytes: number;
  /** Largest frame a client may send (AWS: 32 KB; a bigger message must come in several); larger closes with 1009. */
  readonly maxFrameBytes: number;
  readonly onRequest: (entry: RequestLogEntry) => void;
}

/** What API Gateway knows of a connection from its upgrade request. */
interface ConnectionInfo {
  readonly id: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
}

interface AuthorizedConnection extends ConnectionInfo {
  readonly authorizer: Record<string, unknown> | undefined;
  disconnectSent?: boolean;
}

/** The `$connect` authorizer's outcome: the context every route of the connection receives, or the refusal. */
type Authorization =
  | { readonly allowed: true; readonly context: Record<string, unknown> | undefined }
  | { readonly allowed: false; readonly status: number };

interface LiveConnection extends AuthorizedConnection {
  readonly socket: WebSocket;
  lastActiveAt: number;
  idleTimer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
  /** Closing for an oversized frame: what else arrives is not delivered. */
  refused?: boolean;
}

const newConnectionId = (): string => randomBytes(10).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
const newRequestId = (): string => randomBytes(12).toString('base64').replace(/\+/g, 'C').replace(/\//g, 'D');

const requestTime = (ms: number): string => {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
};

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' };

/** Evaluates `$request.body.a.b` against a parsed body. */
const selectRouteKey = (expression: string, body: string): string | undefined => {
  const match = /^\$request\.body\.(.+)$/.exec(expression);
  if (!match) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const part of (match[1] as string).split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' ? value : undefined;
};

/**
 * Parley's emulation of the API Gateway WebSocket service: one HTTP server
 * for client connections (route selection, $connect authorizer, two-way
 * route responses, $disconnect, size and time limits), and one for the
 * management API (`POST/GET/DELETE /{stage}/@connections/{id}`) that the
 * unchanged ApiGatewayManagementApiClient talks to.
 */
export class WebSocketGateway {
  private readonly connections = new Map<string, LiveConnection>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly wss: WebSocketServer;
  readonly server: Server;
  private domainName = '127.0.0.1';

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
    this.server = createServer((req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required: this is a WebSocket endpoint.\n');
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.handleUpgrade(req, socket, head).catch(() => this.refuse(socket, 500));
    });
  }

  /** Live connection count, for the banner and the benchmark. */
  get size(): number {
    return this.connections.size;
  }

  setDomainName(host: string): void {
    this.domainName = host;
  }

  private route(key: string): LocalRoute | undefined {
    return this.options.api.routes.get(key);
  }

  private requestContext(connection: ConnectionInfo, extra: Record<string, unknown>) {
    const now = Date.now();
    return {
      extendedRequestId: newRequestId(),
      requestTime: requestTime(now),
      messageDirection: 'IN',
      stage: this.options.api.stage,
      connectedAt: connection.connectedAt,
      requestTimeEpoch: now,
      identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      requestId: newRequestId(),
      domainName: this.domainName,
      connectionId: connection.id,
      apiId: this.options.api.apiId,
      ...extra,
    };
  }

  private refuse(socket: Duplex, status: number): void {
    if (socket.destroyed) return;
    const text = STATUS_TEXT[status] ?? 'Error';
    const body = JSON.stringify({ message: text });
    const headers = [
      `HTTP/1.1 ${status} ${text}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ];
    socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
  }

  private logRequest(
    route: string,
    user: string,
    started: number,
    status: RequestLogEntry['status'],
    requestId: string,
  ): void {
    this.options.onRequest({ route, user, durationMs: performance.now() - started, status, requestId });
  }

  private userOf(authorizer: Record<string, unknown> | undefined): string {
    const name = authorizer?.['displayName'] ?? authorizer?.['name'] ?? authorizer?.['principalId'];
    return typeof name === 'string' && name !== '' ? name : '-';
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const started = performance.now();
    const request = parseUpgradeRequest(req);
    const connection: ConnectionInfo = {
      id: newConnectionId(),
      connectedAt: Date.now(),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: request.headers['user-agent'] ?? '',
    };
    const authorization = await this.authorize(request, connection, started);
    if (!authorization.allowed) return this.refuse(socket, authorization.status);
    const refusedWith = await this.invokeConnect(request, connection, authorization.context, started);
    if (refusedWith !== undefined) return this.refuse(socket, refusedWith);

    if (socket.destroyed) {
      // The client left while $connect ran: AWS still runs $disconnect.
      const left = { ...connection, authorizer: authorization.context };
      this.track(this.invokeDisconnect(left, 1006, 'Client left during $connect'));
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, connection, authorization.context, socket));
  }

  /**
   * Runs the `$connect` route's authorizer, if it has one: a missing identity
   * source is 401 without a call, an `Unauthorized` error 401, a Deny (or no
   * Allow for the method ARN) 403, any other failure 500.
   */
  private async authorize(request: UpgradeRequest, connection: ConnectionInfo, started: number): Promise<Authorization> {
    const authorizer = this.route('$connect')?.authorizer;
    if (!authorizer) return { allowed: true, context: undefined };
    const sources = identitySourceValues(request, authorizer.identitySource);
    if (sources.some((value) => value === undefined || value === '')) {
      this.logRequest('$connect', '-', started, 401, '-');
      return { allowed: false, status: 401 };
    }
    const { api, region, accountId } = this.options;
    const methodArn = `arn:aws:execute-api:${region}:${accountId}:${api.apiId}/${api.stage}/$connect`;
    const context = this.requestContext(connection, { routeKey: '$connect', eventType: 'CONNECT' });
    try {
      const invocation = await this.options.functions.invoke<AuthorizerResult>(authorizer.functionKey, {
        type: 'REQUEST',
        methodArn,
        headers: request.headers,
        multiValueHeaders: request.multiValueHeaders,
        queryStringParameters: request.queryStringParameters,
        multiValueQueryStringParameters: request.multiValueQueryStringParameters,
        stageVariables: {},
        requestContext: context,
      });
      const result = invocation.result;
      if (!policyAllows(result, methodArn)) {
        this.logRequest('$connect', '-', started, 403, invocation.requestId);
        return { allowed: false, status: 403 };
      }
      return {
        allowed: true,
        context: {
          ...(result?.context ?? {}),
          principalId: result?.principalId ?? '',
          integrationLatency: Math.round(invocation.durationMs),
        },
      };
    } catch (error) {
      // API Gateway answers 401 when the authorizer fails with exactly "Unauthorized".
      const unauthorized = error instanceof FunctionInvocationError && error.message === 'Unauthorized';
      this.logFailure('$connect', '-', started, error, unauthorized ? 401 : 500);
      return { allowed: false, status: unauthorized ? 401 : 500 };
    }
  }

  /** Runs the `$connect` route's function, if it has one; returns the status refusing the connection, if any. */
  private async invokeConnect(
    request: UpgradeRequest,
    connection: ConnectionInfo,
    authorizer: Record<string, unknown> | undefined,
    started: number,
  ): Promise<number | undefined> {
    const functionKey = this.route('$connect')?.functionKey;
    if (!functionKey) return undefined;
    const context = this.requestContext(connection, {
      routeKey: '$connect',
      eventType: 'CONNECT',
      ...(authorizer ? { authorizer } : {}),
    });
    try {
      const invocation = await this.options.functions.invoke<{ statusCode?: number } | undefined>(functionKey, {
        headers: request.headers,
        multiValueHeaders: request.multiValueHeaders,
        ...(request.search
          ? {
              queryStringParameters: request.queryStringParameters,
              multiValueQueryStringParameters: request.multiValueQueryStringParameters,
            }
          : {}),
        requestContext: context,
        isBase64Encoded: false,
      });
      const status = invocation.result?.statusCode ?? 200;
      this.logRequest('$connect', this.userOf(authorizer), started, status, context.requestId);
      return status < 200 || status > 299 ? status : undefined;
    } catch (error) {
      this.logFailure('$connect', this.userOf(authorizer), started, error, 500, context.requestId);
      return 500;
    }
  }

  private accept(
    socket: WebSocket,
    base: ConnectionInfo,
    authorizer: Record<string, unknown> | undefined,
    raw: Duplex,
  ): void {
    const connection: LiveConnection = { ...base, socket, authorizer, lastActiveAt: Date.now() };
    this.connections.set(connection.id, connection);
    // `ws` reads the same bytes; this only looks at frame headers, and stops at the first oversized one.
    const frames = new FrameSizeWatcher(this.options.maxFrameBytes);
    const watch = (chunk: Buffer) => {
      if (frames.push(chunk) === undefined) return;
      raw.off('data', watch);
      connection.refused = true;
      socket.close(1009, 'Frame too big');
    };
    raw.on('data', watch);
    const resetIdle = () => {
      if (connection.idleTimer) clearTimeout(connection.idleTimer);
      connection.idleTimer = setTimeout(() => socket.close(1001, 'Going away'), this.options.idleTimeoutSeconds * 1000);
      connection.idleTimer.unref();
    };
    resetIdle();
    connection.maxTimer = setTimeout(() => socket.close(1001, 'Going away'), this.options.maxConnectionSeconds * 1000);
    connection.maxTimer.unref();

    socket.on('message', (data, isBinary) => {
      if (connection.refused) return;
      connection.lastActiveAt = Date.now();
      resetIdle();
      const body = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      void this.handleMessage(connection, isBinary ? body.toString('base64') : body.toString('utf8'), isBinary);
    });
    socket.on('close', (code, reason) => {
      this.connections.delete(connection.id);
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.maxTimer);
      this.track(this.invokeDisconnect(connection, code, reason.toString() || 'Client closed the connection'));
    });
    socket.on('error', () => socket.terminate());
  }

  private async handleMessage(connection: LiveConnection, body: string, isBase64Encoded: boolean): Promise<void> {
    const started = performance.now();
    const selected = isBase64Encoded ? undefined : selectRouteKey(this.options.api.routeSelectionExpression, body);
    const route = (selected !== undefined ? this.route(selected) : undefined) ?? this.route('$default');
    const messageId = newRequestId();
    const user = this.userOf(connection.authorizer);
    if (!route?.functionKey) {
      const context = this.requestContext(connection, {});
      const forbidden = { message: 'Forbidden', connectionId: connection.id, requestId: context.requestId };
      this.send(connection, JSON.stringify(forbidden));
      this.logRequest(selected ?? '$default', user, started, 403, context.requestId);
      return;
    }
    const context = this.requestContext(connection, {
      routeKey: route.routeKey,
      messageId,
      eventType: 'MESSAGE',
      ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
    });
    try {
      type ProxyResult = { statusCode?: number; body?: unknown } | string | undefined;
      const invocation = await this.options.functions.invoke<ProxyResult>(route.functionKey, {
        requestContext: context,
        body,
        isBase64Encoded,
      });
      const result = invocation.result;
      const status = typeof result === 'object' && result?.statusCode !== undefined ? result.statusCode : 200;
      if (route.returnResponse && result !== undefined && result !== null) {
        const payload = typeof result === 'string' ? result : result.body;
        if (payload !== undefined && payload !== null) {
          this.send(connection, typeof payload === 'string' ? payload : JSON.stringify(payload));
        }
      }
      this.logRequest(route.routeKey, user, started, status, context.requestId);
    } catch (error) {
      const failure = { message: 'Internal server error', connectionId: connection.id, requestId: context.requestId };
      this.send(connection, JSON.stringify(failure));
      this.logFailure(route.routeKey, user, started, error, 500, context.requestId);
    }
  }

  private async invokeDisconnect(connection: AuthorizedConnection, code: number, reason: string): Promise<void> {
    if (connection.disconnectSent) return;
    connection.disconnectSent = true;
    const route = this.route('$disconnect');
    if (!route?.functionKey) return;
    const started = performance.now();
    const context = this.requestContext(connection, {
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: code,
      disconnectReason: reason,
      ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
    });
    try {
      await this.options.functions.invoke(route.functionKey, {
        headers: { Host: this.domainName },
        requestContext: context,
        isBase64Encoded: false,
      });
      this.logRequest('$disconnect', this.userOf(connection.authorizer), started, 200, context.requestId);
    } catch (error) {
      this.logFailure('$disconnect', this.userOf(connection.authorizer), started, error, 500, context.requestId);
    }
  }

  private logFailure(
    route: string,
    user: string,
    started: number,
    error: unknown,
    status: number,
    requestId?: string,
  ): void {
    const isInvocation = error instanceof FunctionInvocationError;
    this.options.onRequest({
      route,
      user,
      durationMs: performance.now() - started,
      status: isInvocation && error.kind === 'timeout' ? 'timeout' : isInvocation ? 'error' : status,
      requestId: (isInvocation ? error.requestId : undefined) ?? requestId ?? '-',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }

  private send(connection: LiveConnection, payload: string): void {
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(payload);
  }

  /** Handles the management API; returns false when the path is not one of its own. */
  handleManagement(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const stagePrefix = `/${this.options.api.stage}`;
    const rest = path.startsWith(`${stagePrefix}/@connections/`) ? path.slice(stagePrefix.length) : path;
    const match = /^\/@connections\/([^/]+)$/.exec(rest);
    if (!match) return false;
    const connectionId = decodeURIComponent(match[1] as string);
    const reply = (status: number, body?: unknown, errorType?: string) => {
      const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
      if (errorType) headers['x-amzn-errortype'] = errorType;
      if (body === undefined) {
        res.writeHead(status, headers).end();
      } else {
        res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
      }
    };
    const connection = this.connections.get(connectionId);
    const gone = () => reply(410, { message: null }, 'GoneException');
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= this.options.maxMessageBytes) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > this.options.maxMessageBytes) {
          return reply(413, { message: 'Request entity too large' }, 'PayloadTooLargeException');
        }
        const live = this.connections.get(connectionId);
        if (!live || live.socket.readyState !== WebSocket.OPEN) return gone();
        live.socket.send(Buffer.concat(chunks).toString('utf8'));
        reply(200);
      });
      return true;
    }
    if (!connection) {
      gone();
      return true;
    }
    if (req.method === 'GET') {
      reply(200, {
        connectedAt: new Date(connection.connectedAt).toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      });
    } else if (req.method === 'DELETE') {
      // Gone from the moment the call returns, as on AWS: the closing
      // handshake (and $disconnect) may finish after the caller's next request.
      this.connections.delete(connectionId);
      connection.socket.close(1000, 'Closed by the application');
      reply(204);
    } else {
      reply(405, { message: 'Method not allowed' });
    }
    return true;
  }

  private track(work: Promise<void>): void {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  /** Closes every connection and waits (briefly) for their $disconnect to run. */
  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.socket.close(1001, 'Going away');
    const deadline = Date.now() + 1_000;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const connection of this.connections.values()) connection.socket.terminate();
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 3_000))]);
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
