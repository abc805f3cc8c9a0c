import { parseFrame, type ServerFrame } from './protocol';
import { t } from './i18n';

/**
 * One WebSocket to Parley that stays up by itself: it reconnects after any
 * close it did not ask for (network loss, API Gateway's idle timeout or 2 h
 * limit, a deploy), with exponential backoff and full jitter, fetching a
 * fresh token each time. Requests are matched to their `ack` or `error`
 * frame by `requestId`.
 *
 * A socket can also die without closing (a laptop asleep, a network that
 * went away): after `heartbeatMs` without a frame from Parley the connection
 * sends a `ping` (answered with no table read), and no answer within
 * `heartbeatTimeoutMs` counts as a drop: a dead socket is noticed within
 * about 10 s of its last sign of life. A hidden tab pings only every
 * `hiddenHeartbeatMs`, enough to keep API Gateway's 10-minute idle timeout
 * from closing its socket. The browser's `offline` event drops it at once
 * (`wentOffline`).
 */

/** The part of the browser's WebSocket this module uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const OPEN = 1;

const documentHidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';

export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A request Parley refused: the error frame's code and message. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/**
 * Refusals that may not happen again: Parley was busy (`RATE_LIMITED`),
 * failed (`INTERNAL`), or did not answer (`TIMEOUT`). Any other refusal
 * (`BAD_REQUEST`, `PAYLOAD_TOO_LARGE`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT`…)
 * answers the request itself, so the same request would be refused again.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['RATE_LIMITED', 'INTERNAL', 'TIMEOUT']);

/** Whether the same request could succeed later: only then is a Retry worth offering. */
export const isTransient = (error: unknown): boolean =>
  error instanceof DisconnectedError || (error instanceof RequestError && TRANSIENT_CODES.has(error.code));

/** The connection dropped (or was not up) before the answer came. */
export class DisconnectedError extends Error {
  constructor() {
    super(t().connection.notConnected);
    this.name = 'DisconnectedError';
  }
}

export interface ConnectionOptions {
  /** wss://… (or ws://127.0.0.1:… locally), without the token. */
  readonly url: string;
  /** A valid token for each (re)connection; may refresh it. */
  readonly getToken: () => Promise<string>;
  readonly onFrame: (frame: ServerFrame) => void;
  readonly onStatus: (status: LinkStatus) => void;
  /** Each time the socket opens; `resumed` after a drop, when there is something to catch up on. */
  readonly onOpen: (info: { readonly resumed: boolean }) => void;
  readonly createSocket?: (url: string) => SocketLike;
  readonly requestTimeoutMs?: number;
  /** Quiet time (no frame received) before checking the socket with a ping. @default 5_000 */
  readonly heartbeatMs?: number;
  /** The same while the tab is hidden: only to stay under API Gateway's 10-minute idle timeout. @default 300_000 */
  readonly hiddenHeartbeatMs?: number;
  /** How long a ping may go unanswered before the socket counts as dead. @default 5_000 */
  readonly heartbeatTimeoutMs?: number;
  /** Whether the tab is out of sight. @default the document's visibility state */
  readonly isHidden?: () => boolean;
  /** First retry delay; doubles each failure up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/** The delay before reconnect attempt `attempt` (0-based): full jitter over an exponential cap. */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number): number =>
  Math.round(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20)));

interface Waiting {
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: unknown;
}

export class ParleyConnection {
  private socket: SocketLike | undefined;
  private readonly waiting = new Map<string, Waiting>();
  private attempt = 0;
  private everOpened = false;
  private stopped = true;
  /** Between deciding to connect and having a socket (the token may be refreshing). */
  private opening = false;
  private retryTimer: unknown;
  private nextRequest = 1;
  private readonly prefix = Math.random().toString(36).slice(2, 8);
  private status: LinkStatus = 'offline';
  private heartbeatTimer: unknown;
  private pinging = false;
  /** The browser says there is no network: show it, whatever the retries are doing. */
  private browserOffline = false;

  constructor(private readonly options: ConnectionOptions) {}

  get connected(): boolean {
    return this.socket?.readyState === OPEN && this.status === 'online';
  }

  /** Opens the connection and keeps it open until `stop()`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  /** Closes for good (sign-out): no reconnect, pending requests fail. */
  stop(): void {
    this.stopped = true;
    this.clear(this.retryTimer);
    this.retryTimer = undefined;
    this.stopHeartbeat();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      this.detach(socket);
      socket.close(1000, 'signed out');
    }
    this.failWaiting();
    this.setStatus('offline');
  }

  /**
   * Reconnects now instead of waiting out the backoff (the browser came back
   * online, the tab became visible). A socket that looks open is checked
   * with a ping instead: it may have died while the tab slept.
   */
  reconnectNow(): void {
    if (this.stopped || this.opening) return;
    if (this.socket) {
      if (this.socket.readyState === OPEN) this.ping();
      return;
    }
    this.clear(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    void this.open();
  }

  /** The browser has a network again: reconnect (or check the socket) at once. */
  wentOnline(): void {
    this.browserOffline = false;
    this.reconnectNow();
  }

  /**
   * The browser lost its network: the socket cannot carry anything, though
   * it may take minutes to close by itself. Drop it now, so the person sees
   * they are offline and what they write waits to be sent.
   */
  wentOffline(): void {
    if (this.stopped) return;
    this.browserOffline = true;
    if (this.socket) {
      this.drop('offline');
      this.scheduleRetry();
    } else {
      this.setStatus('offline');
    }
  }

  /**
   * Sends `{ action, requestId, ...payload }` and resolves with the ack's
   * `data`, or rejects with a RequestError (the error frame), a
   * DisconnectedError, or a timeout.
   */
  request<T = unknown>(action: string, payload: Record<string, unknown> = {}): Promise<T> {
    return this.send<T>(action, payload, this.options.requestTimeoutMs ?? 15_000);
  }

  private send<T>(action: string, payload: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return Promise.reject(new DisconnectedError());
    const requestId = `${this.prefix}-${this.nextRequest++}`;
    return new Promise<T>((resolve, reject) => {
      const timer = this.setTimer(() => {
        this.waiting.delete(requestId);
        reject(new RequestError('TIMEOUT', t().connection.timeout));
      }, timeoutMs);
      this.waiting.set(requestId, { resolve: resolve as (data: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ ...payload, action, requestId }));
    });
  }

  /**
   * `ping` goes all the way (API Gateway, a function) and reads no table.
   * Any answer, even a refusal from a Parley that predates it, proves the
   * socket alive.
   */
  private ping(): void {
    if (this.pinging) return;
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    this.pinging = true;
    this.send('ping', {}, this.options.heartbeatTimeoutMs ?? 5_000)
      .catch((error: unknown) => {
        // No answer in time: the socket is dead though it never closed.
        if (error instanceof RequestError && error.code === 'TIMEOUT' && this.socket === socket) {
          this.drop('no answer');
          this.scheduleRetry();
        }
      })
      .finally(() => {
        this.pinging = false;
      });
  }

  /** Starts the quiet time over: called when the socket opens and at every frame from Parley. */
  private scheduleHeartbeat(): void {
    this.clear(this.heartbeatTimer);
    const hidden = (this.options.isHidden ?? documentHidden)();
    this.heartbeatTimer = this.setTimer(
      () => {
        this.heartbeatTimer = undefined;
        this.ping();
      },
      hidden ? (this.options.hiddenHeartbeatMs ?? 300_000) : (this.options.heartbeatMs ?? 5_000),
    );
  }

  private stopHeartbeat(): void {
    this.clear(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async open(): Promise<void> {
    this.setStatus(this.browserOffline ? 'offline' : this.everOpened ? 'reconnecting' : 'connecting');
    this.opening = true;
    let token: string;
    try {
      token = await this.options.getToken();
    } catch {
      this.opening = false;
      this.scheduleRetry();
      return;
    }
    this.opening = false;
    if (this.stopped) return;
    const separator = this.options.url.includes('?') ? '&' : '?';
    const url = `${this.options.url}${separator}token=${encodeURIComponent(token)}`;
    const create = this.options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const resumed = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.browserOffline = false;
      this.setStatus('online');
      this.scheduleHeartbeat();
      this.options.onOpen({ resumed });
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.receive(event.data);
    };
    // A failed handshake (a refused token included) closes like any other drop.
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.detach(socket);
      this.socket = undefined;
      this.stopHeartbeat();
      this.failWaiting();
      if (!this.stopped) this.scheduleRetry();
    };
  }

  private receive(text: string): void {
    // Anything from Parley proves the socket alive.
    this.scheduleHeartbeat();
    const frame = parseFrame(text);
    if (!frame) return;
    if (frame.type === 'error' && frame.code === 'SESSION_EXPIRED') {
      this.renew();
      return;
    }
    if ((frame.type === 'ack' || frame.type === 'error') && frame.requestId !== undefined) {
      const waiting = this.waiting.get(frame.requestId);
      if (waiting) {
        this.waiting.delete(frame.requestId);
        this.clear(waiting.timer);
        if (frame.type === 'ack') waiting.resolve(frame.data);
        else waiting.reject(new RequestError(frame.code, frame.message));
        return;
      }
    }
    this.options.onFrame(frame);
  }

  /**
   * Parley refused a request because the connection's token expired: the
   * socket is as good as gone. Close it and reconnect with a fresh token;
   * requests in flight fail as disconnected, so what was being sent waits
   * and goes again once the connection is back.
   */
  private renew(): void {
    if (!this.socket) return;
    this.drop('session expired');
    this.scheduleRetry();
  }

  /**
   * Lets go of the socket as if it had closed: requests in flight fail as
   * disconnected. `reason` goes in the close frame for logs, never on screen.
   */
  private drop(reason: string): void {
    const socket = this.socket;
    this.stopHeartbeat();
    if (!socket) return;
    this.detach(socket);
    this.socket = undefined;
    socket.close(1000, reason);
    this.failWaiting();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.clear(this.retryTimer);
    // Offline, keep trying (the browser may be wrong) but keep saying so.
    this.setStatus(this.browserOffline ? 'offline' : this.everOpened ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(
      this.attempt,
      this.options.baseDelayMs ?? 500,
      this.options.maxDelayMs ?? 15_000,
      this.options.random ?? Math.random,
    );
    this.attempt += 1;
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = undefined;
      void this.open();
    }, delay);
  }

  private failWaiting(): void {
    for (const [requestId, waiting] of this.waiting) {
      this.clear(waiting.timer);
      waiting.reject(new DisconnectedError());
      this.waiting.delete(requestId);
    }
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private setStatus(status: LinkStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private setTimer(fn: () => void, ms: number): unknown {
    return (this.options.setTimer ?? ((f: () => void, d: number) => setTimeout(f, d)))(fn, ms);
  }

  private clear(handle: unknown): void {
    if (handle === undefined) return;
    (this.options.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)))(handle);
  }
}
