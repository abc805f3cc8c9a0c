import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DisconnectedError,
  isTransient,
  ParleyConnection,
  RequestError,
  type LinkStatus,
  type SocketLike,
} from '../../../web/src/connection';
import type { ServerFrame } from '../../../web/src/protocol';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: Array<Record<string, unknown>> = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closedWith: number | undefined;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

/** A connection over fake sockets and a manual clock. */
function setup(options: { tokens?: string[]; hidden?: boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  const frames: ServerFrame[] = [];
  const statuses: LinkStatus[] = [];
  const opens: boolean[] = [];
  const tokens = [...(options.tokens ?? ['t1', 't2', 't3', 't4'])];
  let now = 0;
  let nextTimer = 1;
  const connection = new ParleyConnection({
    url: 'ws://127.0.0.1:3001',
    getToken: async () => tokens.shift() ?? 'tN',
    onFrame: (frame) => frames.push(frame),
    onStatus: (status) => statuses.push(status),
    onOpen: ({ resumed }) => opens.push(resumed),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 1,
    isHidden: () => options.hidden ?? false,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    requestTimeoutMs: 5000,
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const advance = async (ms: number) => {
    now += ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const due = timers[0];
      if (!due || due.at > now) break;
      timers.shift();
      due.fn();
      await flush();
    }
  };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const latest = () => sockets.at(-1) as FakeSocket;
  return { connection, sockets, frames, statuses, opens, advance, flush, latest };
}

describe('backoffDelay', () => {
  it('doubles its cap each attempt up to the maximum, jittered over the whole range', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 500, 15_000, () => 1))).toEqual([500, 1000, 2000, 4000, 15_000]);
    expect(backoffDelay(3, 500, 15_000, () => 0)).toBe(0);
  });
});

describe('isTransient', () => {
  it('calls a refusal transient when the same request could succeed later', () => {
    expect(['RATE_LIMITED', 'INTERNAL', 'TIMEOUT'].map((code) => isTransient(new RequestError(code, '')))).toEqual([true, true, true]);
    expect(isTransient(new DisconnectedError())).toBe(true);
  });

  it('calls a refusal final when it answers the request itself', () => {
    const final = ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNAUTHORIZED', 'SOMETHING_NEW'];
    expect(final.filter((code) => isTransient(new RequestError(code, '')))).toEqual([]);
    expect(isTransient(new Error('boom'))).toBe(false);
  });
});

describe('ParleyConnection', () => {
  it('connects with the token in the query string and reports when it is online', async () => {
    const { connection, sockets, statuses, opens, flush, latest } = setup();

    connection.start();
    await flush();
    latest().open();

    expect(sockets.map((s) => s.url)).toEqual(['ws://127.0.0.1:3001?token=t1']);
    expect(statuses).toEqual(['connecting', 'online']);
    expect(opens).toEqual([false]);
  });

  it('matches answers to requests by requestId and passes other frames on', async () => {
    const { connection, frames, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    const first = connection.request('listRooms');
    const second = connection.request('joinRoom', { roomId: 'r1' });
    const [a, b] = latest().sent;
    latest().receive({ type: 'message', roomId: 'r1', message: { roomId: 'r1', messageId: 'm', senderId: 'u', text: 'x', createdAt: '' } });
    latest().receive({ type: 'error', code: 'NOT_FOUND', message: 'No such room.', requestId: b!['requestId'] });
    latest().receive({ type: 'ack', action: 'listRooms', requestId: a!['requestId'], data: { rooms: [] } });

    await expect(first).resolves.toEqual({ rooms: [] });
    await expect(second).rejects.toEqual(new RequestError('NOT_FOUND', 'No such room.'));
    expect(a).toMatchObject({ action: 'listRooms' });
    expect(b).toMatchObject({ action: 'joinRoom', roomId: 'r1' });
    expect(a!['requestId']).not.toBe(b!['requestId']);
    expect(frames.map((f) => f.type)).toEqual(['message']);
  });

  it('ignores frames it cannot parse', async () => {
    const { connection, frames, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    latest().receive('not json');
    latest().receive({ type: 'somethingNew', roomId: 'r1' });
    latest().receive({ type: 'message', roomId: 'r1', message: { text: 'no id' } });

    expect(frames).toEqual([]);
  });

  it('reconnects after a drop with backoff and a fresh token, and says it resumed', async () => {
    const { connection, sockets, statuses, opens, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    latest().drop();
    await advance(99);
    const beforeRetry = sockets.length;
    await advance(1);
    latest().drop(); // the first attempt fails too
    await advance(200);
    latest().open();

    expect(beforeRetry).toBe(1);
    expect(sockets.map((s) => s.url.split('token=')[1])).toEqual(['t1', 't2', 't3']);
    expect(statuses).toEqual(['connecting', 'online', 'reconnecting', 'online']);
    expect(opens).toEqual([false, true]);
  });

  it('fails requests in flight when the socket drops, and refuses new ones until it is back', async () => {
    const { connection, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    const inFlight = expect(connection.request('sendMessage', { roomId: 'r1' })).rejects.toBeInstanceOf(DisconnectedError);
    latest().drop();

    await inFlight;
    await expect(connection.request('listRooms')).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('reconnects with a fresh token when Parley says the session expired, failing what was in flight as disconnected', async () => {
    const { connection, sockets, statuses, opens, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    const refused = expect(connection.request('sendMessage', { roomId: 'r1' })).rejects.toBeInstanceOf(DisconnectedError);
    const requestId = latest().sent[0]?.['requestId'];
    latest().receive({ type: 'error', code: 'SESSION_EXPIRED', message: 'Your sign-in has expired.', requestId, action: 'sendMessage' });
    await refused;
    await advance(100);
    latest().open();

    expect(sockets[0]?.closedWith).toBe(1000);
    expect(sockets.map((s) => s.url.split('token=')[1])).toEqual(['t1', 't2']);
    expect(statuses).toEqual(['connecting', 'online', 'reconnecting', 'online']);
    expect(opens).toEqual([false, true]);
  });

  it('times out a request Parley never answers', async () => {
    const { connection, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    const outcome = expect(connection.request('listRooms')).rejects.toMatchObject({ code: 'TIMEOUT' });
    await advance(5000);

    await outcome;
  });

  it('stops for good on stop(): closes the socket and never reconnects', async () => {
    const { connection, sockets, statuses, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    connection.stop();
    await advance(60_000);

    expect(latest().closedWith).toBe(1000);
    expect(sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('offline');
  });

  it('reconnects at once when asked, skipping the wait', async () => {
    const { connection, sockets, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();
    latest().drop();
    await advance(100);
    latest().drop();

    connection.reconnectNow();
    await flush();

    expect(sockets).toHaveLength(3);
  });

  it('pings a socket quiet for 5 s, and again 5 s after each answer, which keeps an idle tab connected', async () => {
    const { connection, sockets, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    await advance(4_999);
    const beforePing = latest().sent.length;
    await advance(1);
    const ping = latest().sent[0]!;
    latest().receive({ type: 'ack', action: 'ping', requestId: ping['requestId'], data: {} });
    await flush();
    await advance(5_000);

    expect(beforePing).toBe(0);
    expect(ping).toEqual({ action: 'ping', requestId: ping['requestId'] });
    expect(latest().sent.map((f) => f['action'])).toEqual(['ping', 'ping']);
    expect(sockets).toHaveLength(1);
  });

  it('pings a hidden tab only every 5 minutes, under API Gateway’s 10-minute idle timeout', async () => {
    const { connection, advance, flush, latest } = setup({ hidden: true });
    connection.start();
    await flush();
    latest().open();

    await advance(299_999);
    const beforePing = latest().sent.length;
    await advance(1);

    expect(beforePing).toBe(0);
    expect(latest().sent.map((f) => f['action'])).toEqual(['ping']);
  });

  it('does not ping while frames keep coming from Parley', async () => {
    const { connection, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    for (let i = 0; i < 10; i += 1) {
      await advance(4_000);
      latest().receive({ type: 'typing', roomId: 'r1', userId: 'u-bob', displayName: 'Bob' });
    }

    expect(latest().sent).toEqual([]);
  });

  it('pings even while requests are being sent: a request does not prove the socket alive', async () => {
    const { connection, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    await advance(3_000);
    void connection.request('typing', { roomId: 'r1' }).catch(() => undefined);
    await advance(2_000);

    expect(latest().sent.map((f) => f['action'])).toEqual(['typing', 'ping']);
  });

  it('treats a ping unanswered for 5 s as a dead socket, 10 s after its last frame: closes it and reconnects', async () => {
    const { connection, sockets, statuses, opens, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();
    await advance(5_000);

    await advance(4_999);
    const beforeTimeout = statuses.at(-1);
    await advance(1);
    await advance(100);
    latest().open();

    expect(beforeTimeout).toBe('online');
    expect(sockets[0]?.closedWith).toBe(1000);
    expect(sockets).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'online', 'reconnecting', 'online']);
    expect(opens).toEqual([false, true]);
  });

  it('says it is offline as soon as the browser does, and reconnects as soon as the network is back', async () => {
    const { connection, sockets, statuses, opens, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();
    const inFlight = expect(connection.request('sendMessage', { roomId: 'r1' })).rejects.toBeInstanceOf(DisconnectedError);

    connection.wentOffline();
    await inFlight;
    const whileOffline = statuses.at(-1);
    connection.wentOnline();
    await flush();
    latest().open();

    expect(whileOffline).toBe('offline');
    expect(sockets[0]?.closedWith).toBe(1000);
    expect(sockets).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'online', 'offline', 'reconnecting', 'online']);
    expect(opens).toEqual([false, true]);
  });

  it('keeps saying it is offline while retries fail without a network', async () => {
    const { connection, statuses, advance, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    connection.wentOffline();
    await advance(100);
    latest().drop();
    await advance(1000);

    expect(statuses).toEqual(['connecting', 'online', 'offline']);
  });

  it('checks a socket that looks open with a ping when asked to reconnect, instead of opening another', async () => {
    const { connection, sockets, flush, latest } = setup();
    connection.start();
    await flush();
    latest().open();

    connection.reconnectNow();
    connection.reconnectNow();
    await flush();

    expect(sockets).toHaveLength(1);
    expect(latest().sent.map((f) => f['action'])).toEqual(['ping']);
  });
});
