import WebSocket from 'ws';
import type { Action, ReceivedFrame, RequestInputOf } from '../../lambdas/domain/protocol';

/** Thrown when a step's wait runs out, or the server refuses a request or the connection. */
export class SmokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmokeError';
  }
}

/**
 * A WebSocket client for the smoke test: it keeps every frame it receives
 * (compiled against the wire protocol's one definition) and awaits the
 * ones a step needs.
 */
export class SmokeClient {
  readonly frames: ReceivedFrame[] = [];
  private readonly waiters = new Set<() => void>();
  private nextRequest = 1;
  private closeReason: string | undefined;

  private constructor(
    readonly name: string,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      try {
        this.frames.push(JSON.parse(data.toString()) as ReceivedFrame);
      } catch {
        // Parley sends JSON only; anything else would fail the step waiting for a frame.
      }
      for (const waiter of [...this.waiters]) waiter();
    });
    socket.once('close', (code, reason) => {
      this.closeReason = `the connection closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`;
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Opens a connection with `?token=`; fails with the HTTP status when the handshake is refused. */
  static open(url: string, name: string, token: string, timeoutMs: number): Promise<SmokeClient> {
    const target = new URL(url);
    target.searchParams.set('token', token);
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(target);
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new SmokeError(`${name} could not connect within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(new SmokeClient(name, socket));
      });
      socket.once('unexpected-response', (_request, response) => {
        clearTimeout(timer);
        response.resume();
        socket.terminate();
        const hint =
          response.statusCode === 401 ? ' (no token)' : response.statusCode === 403 ? ' (the authorizer refused the token)' : '';
        reject(new SmokeError(`${name}'s connection was refused with HTTP ${response.statusCode ?? '?'}${hint}`));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new SmokeError(`${name} could not connect: ${error.message}`));
      });
    });
  }

  /** Resolves with the first frame (received already or later) that matches. */
  waitFor<F extends ReceivedFrame>(what: string, predicate: (frame: ReceivedFrame) => frame is F, timeoutMs: number): Promise<F>;
  waitFor(what: string, predicate: (frame: ReceivedFrame) => boolean, timeoutMs: number): Promise<ReceivedFrame>;
  waitFor(what: string, predicate: (frame: ReceivedFrame) => boolean, timeoutMs: number): Promise<ReceivedFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const frame = this.frames.find(predicate);
        if (frame !== undefined) {
          finish();
          resolve(frame);
        } else if (this.closeReason !== undefined) {
          finish();
          reject(new SmokeError(`${this.name} waited for ${what}, but ${this.closeReason}`));
        }
      };
      const finish = () => {
        this.waiters.delete(check);
        clearTimeout(timer);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new SmokeError(`${this.name} received no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Sends a request and resolves with its ack's data; an error frame fails with its code and message. */
  async ok<T, A extends Action = Action>(action: A, payload: Omit<RequestInputOf<A>, 'requestId'>, timeoutMs: number): Promise<T> {
    const requestId = `smoke-${this.nextRequest++}`;
    this.socket.send(JSON.stringify({ ...payload, action, requestId }));
    const answer = await this.waitFor(
      `an answer to ${action}`,
      (frame) => (frame.type === 'ack' || frame.type === 'error') && frame.requestId === requestId,
      timeoutMs,
    );
    if (answer.type === 'error') throw new SmokeError(`${action} was refused: ${answer.code}: ${answer.message}`);
    if (answer.type !== 'ack') throw new SmokeError(`${action} got an unexpected ${answer.type} frame`);
    return answer.data as T;
  }

  /** Closes the connection and waits (briefly) for the close to complete. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close(1000);
    await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
    this.socket.terminate();
  }
}
