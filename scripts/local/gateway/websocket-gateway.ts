import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FunctionInvocationError, type FunctionPool } from '../functions/function-pool';
import { checkHost, guardRequests, parseRequestTarget, type ServerErrorEntry } from '../http-guard';
import type { LocalRoute, LocalWebSocketApi } from '../model';
import { type AuthorizerResult, policyAllows } from './authorizer-policy';
import { FrameSizeWatcher } from './frame-size-watcher';
import { parseManagementPath } from './management-path';
import type { PostFaults } from './post-faults';
import { selectRoute } from './route-selection';
import {
  handshakeProblem,
  identitySourceValues,
  parseUpgradeRequest,
  selectedSubprotocol,
  type UpgradeRequest,
} from './upgrade-request';

/** A management API request: its method, its path still percent-encoded, and its body (its size in bytes when over the limit). */
export interface ManagementCall {
  readonly method: string;
  readonly rawPath: string;
  readonly body: string | number;
}

/** The management API's answer, as API Gateway sends it. */
export interface ManagementAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

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
  readonly functions: Pick<FunctionPool, 'invoke'>;
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
  /** A request the gateway could not handle (a bug of the runtime, never of the client). */
  readonly onServerError: (entry: ServerErrorEntry) => void;
  /** How long a stop waits for the connections' $disconnect invocations (default 5 s). */
  readonly drainTimeoutMs?: number;
  /** Posts the management API refuses on purpose, for tests (PARLEY_FAIL_POSTS); none by default. */
  readonly postFaults?: PostFaults;
  /** Told of each post refused on purpose. */
  readonly onPostFault?: (entry: { connectionId: string; left: number }) => void;
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

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Resolves when `work` settles or `ms` have passed, whichever comes first. */
const settleWithin = (work: Promise<unknown>, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/** What `$connect` decided: the status refusing the connection, or the subprotocol to select. */
type ConnectOutcome = { readonly refusedWith: number } | { readonly refusedWith?: undefined; readonly protocol?: string };

/**
 * Parley's emulation of the API Gateway WebSocket service: one HTTP server
 * for client connections (route selection, $connect authorizer, two-way
 * route responses, $disconnect, size and time limits), and the management
 * API (`POST/GET/DELETE /{stage}/@connections/{id}`) that the unchanged
 * ApiGatewayManagementApiClient talks to, served by the management server.
 */
export class WebSocketGateway {
  private readonly connections = new Map<string, LiveConnection>();
  /** Work a stop waits for: upgrades, messages being routed, $disconnect invocations. */
  private readonly inflight = new Set<Promise<void>>();
  /** The subprotocol `$connect` selected for an upgrade request, read by `ws` during the handshake. */
  private readonly selectedProtocols = new WeakMap<IncomingMessage, string>();
  private readonly wss: WebSocketServer;
  readonly server: Server;
  private domainName = '127.0.0.1';
  private port = 0;
  private stopping = false;
  private closeDone?: Promise<void>;
  private whenEmpty?: () => void;

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      // API Gateway answers with a subprotocol only when $connect's response names one.
      handleProtocols: (_offered, req) => this.selectedProtocols.get(req) ?? false,
    });
    this.server = createServer(
      guardRequests(
        { server: 'WebSocket API', port: () => this.port, onError: options.onServerError },
        (_req, res: ServerResponse) => {
          res.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required: this is a WebSocket endpoint.\n');
        },
      ),
    );
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const work = this.handleUpgrade(req, socket, head).catch((error: unknown) => {
        this.serverError(req, error);
        this.refuse(socket, 500);
      });
      this.track(work);
    });
  }

  /** Live connection count, for the banner and the benchmark. */
  get size(): number {
    return this.connections.size;
  }

  /** The `host:port` clients reach this API at; the Host check and events use it. */
  setDomainName(host: string): void {
    this.domainName = host;
    this.port = Number(/:(\d+)$/.exec(host)?.[1] ?? 0);
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

  private serverError(req: IncomingMessage, error: unknown): void {
    this.options.onServerError({
      server: 'WebSocket API',
      method: String(req.method ?? '-').slice(0, 20),
      target: String(req.url ?? '').slice(0, 200),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
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
    // Refused before the authorizer or $connect run: nothing of the app sees these.
    const hostRefusal = checkHost(req.headers.host, this.port);
    if (hostRefusal) return this.refuse(socket, hostRefusal.status);
    const target = parseRequestTarget(req.url);
    if (!target || handshakeProblem(req) !== undefined) return this.refuse(socket, 400);
    if (this.stopping) return this.refuse(socket, 503);

    const request = parseUpgradeRequest(req, target);
    const connection: ConnectionInfo = {
      id: newConnectionId(),
      connectedAt: Date.now(),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: request.headers['user-agent'] ?? '',
    };
    const authorization = await this.authorize(request, connection, started);
    if (!authorization.allowed) return this.refuse(socket, authorization.status);
    const outcome = await this.invokeConnect(request, connection, authorization.context, started);
    if (outcome.refusedWith !== undefined) return this.refuse(socket, outcome.refusedWith);

    if (socket.destroyed || this.stopping) {
      // The client left (or the runtime began stopping) while $connect ran: AWS still runs $disconnect.
      const left = { ...connection, authorizer: authorization.context };
      if (!socket.destroyed) this.refuse(socket, 503);
      await this.invokeDisconnect(left, 1006, 'Client left during $connect');
      return;
    }
    if (outcome.protocol !== undefined) this.selectedProtocols.set(req, outcome.protocol);
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
    const context = this.requestContext(connection, { routeKey: '$connect', eventType: 'CONNECT', messageId: null });
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

  /** Runs the `$connect` route's function, if it has one: a non-2xx status refuses the connection. */
  private async invokeConnect(
    request: UpgradeRequest,
    connection: ConnectionInfo,
    authorizer: Record<string, unknown> | undefined,
    started: number,
  ): Promise<ConnectOutcome> {
    const functionKey = this.route('$connect')?.functionKey;
    if (!functionKey) return {};
    const context = this.requestContext(connection, {
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageId: null,
      disconnectStatusCode: null,
      disconnectReason: null,
      ...(authorizer ? { authorizer } : {}),
    });
    try {
      type ConnectResult = { statusCode?: number; headers?: Record<string, unknown> } | undefined;
      const invocation = await this.options.functions.invoke<ConnectResult>(functionKey, {
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
      const result = typeof invocation.result === 'object' && invocation.result !== null ? invocation.result : undefined;
      const status = typeof result?.statusCode === 'number' ? result.statusCode : 200;
      this.logRequest('$connect', this.userOf(authorizer), started, status, context.requestId);
      if (status < 200 || status > 299) return { refusedWith: status };
      const protocol = selectedSubprotocol(result?.headers);
      return protocol === undefined ? {} : { protocol };
    } catch (error) {
      this.logFailure('$connect', this.userOf(authorizer), started, error, 500, context.requestId);
      return { refusedWith: 500 };
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
      if (isBinary) {
        // API Gateway does not take binary frames: it closes the connection with 1003.
        connection.refused = true;
        socket.close(1003, 'Binary frames are not supported');
        return;
      }
      const body = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      this.track(this.handleMessage(connection, body.toString('utf8')));
    });
    socket.on('close', (code, reason) => {
      this.connections.delete(connection.id);
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.maxTimer);
      this.track(this.invokeDisconnect(connection, code, reason.toString() || 'Client closed the connection'));
      if (this.connections.size === 0) this.whenEmpty?.();
    });
    socket.on('error', () => socket.terminate());
  }

  private async handleMessage(connection: LiveConnection, body: string): Promise<void> {
    const started = performance.now();
    const { route, logKey } = selectRoute(this.options.api.routes, this.options.api.routeSelectionExpression, body);
    const user = this.userOf(connection.authorizer);
    if (!route?.functionKey) {
      const context = this.requestContext(connection, {});
      const forbidden = { message: 'Forbidden', connectionId: connection.id, requestId: context.requestId };
      this.send(connection, JSON.stringify(forbidden));
      this.logRequest(logKey, user, started, 403, context.requestId);
      return;
    }
    const context = this.requestContext(connection, {
      routeKey: route.routeKey,
      messageId: newRequestId(),
      eventType: 'MESSAGE',
      ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
    });
    const internalError = () =>
      this.send(
        connection,
        JSON.stringify({ message: 'Internal server error', connectionId: connection.id, requestId: context.requestId }),
      );
    try {
      type ProxyResult = { statusCode?: number; body?: unknown } | string | undefined;
      const invocation = await this.options.functions.invoke<ProxyResult>(route.functionKey, {
        requestContext: context,
        body,
        isBase64Encoded: false,
      });
      const result = invocation.result;
      const status = typeof result === 'object' && result?.statusCode !== undefined ? result.statusCode : 200;
      const payload = route.returnResponse ? routeResponsePayload(result) : undefined;
      if (payload !== undefined && Buffer.byteLength(payload) > this.options.maxMessageBytes) {
        // Never sent: a client would be closed with 1009 for a message this size.
        const size = Buffer.byteLength(payload);
        internalError();
        this.options.onRequest({
          route: route.routeKey,
          user,
          durationMs: performance.now() - started,
          status: 'error',
          requestId: context.requestId,
          error:
            `RouteResponseTooLarge: the route response of ${size} bytes is over the ` +
            `${this.options.maxMessageBytes}-byte message limit and was not sent`,
        });
        return;
      }
      if (payload !== undefined) this.send(connection, payload);
      this.logRequest(route.routeKey, user, started, status, context.requestId);
    } catch (error) {
      internalError();
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
      messageId: null,
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

  /**
   * Handles the management API over HTTP; returns false when the path is not
   * one of this API's. `rawPath` is the request path still percent-encoded.
   */
  handleManagement(req: IncomingMessage, res: ServerResponse, rawPath: string): boolean {
    if (parseManagementPath(rawPath, this.options.api.stage).kind === 'other') return false;
    const answer = (call: ManagementCall) => {
      const reply = this.managementCall(call) as ManagementAnswer;
      res.writeHead(reply.status, reply.headers).end(reply.body);
    };
    if (req.method !== 'POST') {
      answer({ method: req.method ?? 'GET', rawPath, body: '' });
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.options.maxMessageBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      answer({ method: 'POST', rawPath, body: size > this.options.maxMessageBytes ? size : Buffer.concat(chunks).toString('utf8') });
    });
    return true;
  }

  /**
   * One management API call, whatever carried it: HTTP from any client, or
   * a message from one of the runtime's own function threads (see
   * management-fast-path.ts). Undefined when the path is not this API's.
   */
  managementCall(call: ManagementCall): ManagementAnswer | undefined {
    const path = parseManagementPath(call.rawPath, this.options.api.stage);
    if (path.kind === 'other') return undefined;
    const reply = (status: number, body?: unknown, errorType?: string): ManagementAnswer => {
      const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
      if (errorType) headers['x-amzn-errortype'] = errorType;
      if (body === undefined) return { status, headers, body: '' };
      return { status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
    };
    if (path.kind === 'malformed') return reply(400, { message: 'Invalid connection id' }, 'BadRequestException');
    const { connectionId } = path;
    const gone = () => reply(410, { message: null }, 'GoneException');
    if (call.method === 'POST') {
      if (typeof call.body === 'number' || Buffer.byteLength(call.body) > this.options.maxMessageBytes) {
        return reply(413, { message: 'Request entity too large' }, 'PayloadTooLargeException');
      }
      const status = this.deliverPost(connectionId, call.body);
      if (status === 410) return gone();
      if (status === 500) return reply(500, { message: 'Internal server error' }, 'InternalServerErrorException');
      return reply(200);
    }
    const connection = this.connections.get(connectionId);
    if (!connection) return gone();
    if (call.method === 'GET') {
      return reply(200, {
        connectedAt: new Date(connection.connectedAt).toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      });
    }
    if (call.method === 'DELETE') {
      // Gone from the moment the call returns, as on AWS: the closing
      // handshake (and $disconnect) may finish after the caller's next request.
      this.connections.delete(connectionId);
      connection.socket.close(1000, 'Closed by the application');
      return reply(204);
    }
    return reply(405, { message: 'Method not allowed' });
  }

  /**
   * PostToConnection once its body is read: sends the frame to a live
   * connection (200), 410 when it is gone, 500 when a test's fault refuses it.
   */
  deliverPost(connectionId: string, frame: string): 200 | 410 | 500 {
    const live = this.connections.get(connectionId);
    if (!live || live.socket.readyState !== WebSocket.OPEN) return 410;
    const faults = this.options.postFaults;
    if (faults?.refuses(connectionId, frame)) {
      this.options.onPostFault?.({ connectionId, left: faults.left });
      return 500;
    }
    live.socket.send(frame);
    return 200;
  }

  /** Keeps `work` for a stop to wait on; a failure of the gateway itself is logged, never thrown. */
  private track(work: Promise<void>): void {
    const guarded = work.catch((error: unknown) =>
      this.options.onServerError({
        server: 'WebSocket API',
        method: '-',
        target: '-',
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    this.inflight.add(guarded);
    void guarded.finally(() => this.inflight.delete(guarded));
  }

  /** Settles once nothing is in flight (new work started meanwhile included). */
  private async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Stops the way a deployment going away would, but lets the app finish:
   * refuses new connections, closes every connection with 1001, and waits
   * (at most `drainTimeoutMs`) for their $disconnect invocations and the
   * messages being routed, so the engines they use are still up.
   */
  close(): Promise<void> {
    this.closeDone ??= (async () => {
      this.stopping = true;
      const deadline = performance.now() + (this.options.drainTimeoutMs ?? 5_000);
      const left = () => deadline - performance.now();
      const empty = new Promise<void>((resolve) => {
        this.whenEmpty = resolve;
        if (this.connections.size === 0) resolve();
      });
      for (const connection of this.connections.values()) connection.socket.close(1001, 'Going away');
      // A client that does not answer the closing handshake is cut off, which still runs $disconnect.
      await settleWithin(empty, Math.min(1_000, left()));
      for (const connection of this.connections.values()) connection.socket.terminate();
      await settleWithin(empty, left());
      await settleWithin(this.idle(), left());
      this.wss.close();
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    })();
    return this.closeDone;
  }
}

/** The text a two-way route sends back: a proxy result's `body` (or a bare string result), if any. */
function routeResponsePayload(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  const payload = typeof result === 'string' ? result : (result as { body?: unknown }).body;
  if (payload === undefined || payload === null) return undefined;
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}
