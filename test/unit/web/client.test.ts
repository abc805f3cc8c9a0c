import { describe, expect, it, vi } from 'vitest';
import { ChatClient, type Transport } from '../../../web/src/client';
import { RequestError } from '../../../web/src/connection';
import { timelineOf } from '../../../web/src/state';
import { FakeParley, message } from '../../support/fakes/web';

const setup = () => {
  const parley = new FakeParley();
  let n = 0;
  const client = new ChatClient({ me: parley.me, transport: parley, newClientMessageId: () => `c-${++n}` });
  return { parley, client, texts: (roomId = 'r1') => timelineOf(client.state, roomId).messages.map((m) => m.text) };
};

describe('ChatClient', () => {
  it('opens a room with its latest page, members and agents, and pages back to the beginning', async () => {
    const { parley, client, texts } = setup();
    parley.messages.push(...Array.from({ length: 120 }, (_, i) => message('r1', `m${i}`)));
    await client.resume({ resumed: false });

    await client.openRoom('r1');
    const firstPage = texts();
    await client.loadOlder('r1');
    await client.loadOlder('r1');

    expect(firstPage).toEqual(Array.from({ length: 50 }, (_, i) => `m${70 + i}`));
    expect(texts()).toEqual(Array.from({ length: 120 }, (_, i) => `m${i}`));
    expect(timelineOf(client.state, 'r1').history).toBe('complete');
    expect(client.state.members.get('r1')?.map((m) => m.role)).toEqual(['owner']);
    expect(client.state.agents.get('r1')).toEqual([]);
  });

  it('catches up on what it missed after a drop, without duplicates', async () => {
    const { parley, client, texts } = setup();
    parley.messages.push(message('r1', 'before'));
    client.setStatus('online');
    await client.resume({ resumed: false });
    await client.openRoom('r1');

    client.setStatus('reconnecting');
    // While the socket is down others keep talking; the latest also arrives live once it is back.
    const missed = [message('r1', 'missed 1'), message('r1', 'missed 2')];
    parley.messages.push(...missed);
    client.setStatus('online');
    client.receive({ type: 'message', roomId: 'r1', message: missed[1]! });
    await client.resume({ resumed: true });

    expect(texts()).toEqual(['before', 'missed 1', 'missed 2']);
    expect(timelineOf(client.state, 'r1').gap).toBeUndefined();
  });

  it('sends a message written while disconnected once the connection is back', async () => {
    const { parley, client, texts } = setup();
    await client.resume({ resumed: false });
    await client.openRoom('r1');

    parley.online = false;
    await client.send('r1', 'written offline');
    const queued = timelineOf(client.state, 'r1').pending.map((p) => p.state);
    parley.online = true;
    await client.resume({ resumed: true });

    expect(queued).toEqual(['sending']);
    expect(parley.sent.map((s) => s['text'])).toEqual(['written offline']);
    expect(texts()).toEqual(['written offline']);
    expect(timelineOf(client.state, 'r1').pending).toEqual([]);
  });

  it('does not send again a message stored just before the drop: catching up finds it', async () => {
    const { parley, client, texts } = setup();
    await client.resume({ resumed: false });
    await client.openRoom('r1');

    parley.loseNextAck = true;
    await client.send('r1', 'hello');
    parley.online = true;
    await client.resume({ resumed: true });

    expect(parley.sent).toHaveLength(1);
    expect(parley.messages).toHaveLength(1);
    expect(texts()).toEqual(['hello']);
  });

  it('resends under the same clientMessageId, so Parley stores a message once', async () => {
    const { parley, client } = setup();
    await client.resume({ resumed: false });
    // The room was never opened, so nothing catches up; the resend is what settles it.
    parley.loseNextAck = true;
    await client.send('r2', 'once');
    parley.online = true;

    await client.resume({ resumed: true });

    expect(parley.sent.map((s) => s['clientMessageId'])).toEqual(['c-1', 'c-1']);
    expect(parley.messages.map((m) => m.text)).toEqual(['once']);
    expect(timelineOf(client.state, 'r2').messages.map((m) => m.text)).toEqual(['once']);
  });

  it('sends one message at a time, in the order they were written', async () => {
    const { parley, client, texts } = setup();
    await client.resume({ resumed: false });
    await client.openRoom('r1');
    let inFlight = 0;
    let most = 0;
    const request = parley.request.bind(parley);
    parley.request = async <T>(action: string, payload?: Record<string, unknown>): Promise<T> => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, action === 'sendMessage' && payload?.['text'] === 'first' ? 20 : 1));
      inFlight -= 1;
      return request<T>(action, payload);
    };

    await Promise.all([client.send('r1', 'first'), client.send('r1', 'second'), client.send('r1', 'third')]);

    expect(most).toBe(1);
    expect(texts()).toEqual(['first', 'second', 'third']);
  });

  it('marks a refused message as not sent and retries it under the same id', async () => {
    const { parley, client, texts } = setup();
    await client.resume({ resumed: false });
    await client.openRoom('r1');

    parley.failWith = new RequestError('RATE_LIMITED', 'Slow down.');
    await client.send('r1', 'too fast');
    const failed = timelineOf(client.state, 'r1').pending[0];
    parley.failWith = undefined;
    await client.retry('r1', 'c-1');

    expect(failed).toMatchObject({ state: 'failed', error: 'Slow down.', retryable: true });
    expect(texts()).toEqual(['too fast']);
    expect(parley.sent.map((s) => s['clientMessageId'])).toEqual(['c-1', 'c-1']);
  });

  it.each([
    ['PAYLOAD_TOO_LARGE', 'The text is 5000 bytes; the limit is 4096.'],
    ['BAD_REQUEST', 'The text is empty.'],
    ['FORBIDDEN', 'Guests cannot post in this room.'],
    ['CONFLICT', 'A message with this clientMessageId was already sent.'],
  ])('offers no retry for a message refused with %s, which would be refused again', async (code, text) => {
    const { parley, client } = setup();
    await client.resume({ resumed: false });
    await client.openRoom('r1');

    parley.failWith = new RequestError(code, text);
    await client.send('r1', 'refused');
    parley.failWith = undefined;
    await client.retry('r1', 'c-1');

    expect(timelineOf(client.state, 'r1').pending[0]).toMatchObject({ state: 'failed', error: text, retryable: false });
    expect(parley.sent).toHaveLength(1);
  });

  it('follows the cursors of rooms, members and agents so no list is cut off', async () => {
    const { parley, client } = setup();
    const paged = <T>(all: T[], cursor: unknown) => {
      const start = typeof cursor === 'string' ? Number(cursor) : 0;
      return { items: all.slice(start, start + 2), ...(start + 2 < all.length ? { nextCursor: String(start + 2) } : {}) };
    };
    const rooms = Array.from({ length: 5 }, (_, i) => ({ roomId: `r${i + 1}`, name: `Room ${i + 1}`, visibility: 'public', ownerId: 'u-alice', createdAt: '', role: 'owner' }));
    const members = Array.from({ length: 5 }, (_, i) => ({ roomId: 'r1', userId: `u-${i}`, displayName: `U${i}`, role: 'member', joinedAt: '' }));
    const agents = Array.from({ length: 3 }, (_, i) => ({ handle: `a${i}`, displayName: `A${i}`, modelId: 'm', trigger: { mode: 'mention' }, useMemory: false }));
    const asked: Array<[string, unknown]> = [];
    parley.request = async <T>(action: string, payload: Record<string, unknown> = {}): Promise<T> => {
      asked.push([action, payload['cursor']]);
      if (action === 'listRooms') {
        const page = paged(rooms, payload['cursor']);
        return { rooms: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } as T;
      }
      if (action === 'listMembers') {
        const page = paged(members, payload['cursor']);
        return { members: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } as T;
      }
      if (action === 'listAgents') {
        const page = paged(agents, payload['cursor']);
        return { roomId: 'r1', agents: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } as T;
      }
      return FakeParley.prototype.request.call(parley, action, payload) as Promise<T>;
    };

    await client.resume({ resumed: false });
    await client.openRoom('r1');

    expect([...client.state.rooms.keys()]).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(client.state.members.get('r1')?.map((m) => m.userId)).toEqual(['u-0', 'u-1', 'u-2', 'u-3', 'u-4']);
    expect(client.state.agents.get('r1')?.map((a) => a.handle)).toEqual(['a0', 'a1', 'a2']);
    expect(asked.filter(([action]) => action === 'listMembers')).toEqual([
      ['listMembers', undefined],
      ['listMembers', '2'],
      ['listMembers', '4'],
    ]);
  });

  it('hides agent management when Parley has no agent actions', async () => {
    const { parley, client } = setup();
    parley.request = async <T>(action: string, payload?: Record<string, unknown>): Promise<T> => {
      if (action === 'listAgents') throw new RequestError('UNKNOWN_ACTION', 'Unknown action "listAgents".');
      return FakeParley.prototype.request.call(parley, action, payload) as Promise<T>;
    };
    await client.resume({ resumed: false });

    await client.openRoom('r1');

    expect(client.state.unsupported.has('listAgents')).toBe(true);
    expect(client.state.notices).toEqual([]);
  });
});

describe('ChatClient.createRoom and joinRoom', () => {
  /** Parley, with the room's members held back until released: a slow answer on demand. */
  const slowMembers = () => {
    const parley = new FakeParley();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const room = { roomId: 'r2', name: 'Garden', visibility: 'public', ownerId: parley.me.userId, createdAt: '' };
    const membership = { roomId: 'r2', userId: parley.me.userId, displayName: parley.me.displayName, role: 'owner', joinedAt: '' };
    const transport: Transport = {
      async request<T>(action: string, payload: Record<string, unknown> = {}): Promise<T> {
        if (action === 'createRoom') return { room, membership } as T;
        if (action === 'joinRoom') return { membership: { ...membership, role: 'member' } } as T;
        if (action === 'listRooms') return { rooms: [{ ...room, role: 'member' }] } as T;
        if (action === 'listMembers') await held;
        return parley.request<T>(action, payload);
      },
    };
    return { client: new ChatClient({ me: parley.me, transport }), release };
  };
  /** What a promise settled with once everything already on its way has run, or 'still waiting'. */
  const settledNow = <T>(promise: Promise<T>) => Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 0))]);

  it('answers a created room once it exists and is open, while its members still load', async () => {
    const { client, release } = slowMembers();

    expect(await settledNow(client.createRoom('Garden', 'public'))).toBe('r2');
    expect(client.state.activeRoomId).toBe('r2');
    expect(client.state.members.get('r2')).toBeUndefined();

    release();
    await vi.waitFor(() => expect(client.state.members.get('r2')?.map((m) => m.role)).toEqual(['owner']));
  });

  it('answers a join the same way', async () => {
    const { client, release } = slowMembers();

    expect(await settledNow(client.joinRoom('r2'))).toBe(true);
    expect(client.state.activeRoomId).toBe('r2');

    release();
    await vi.waitFor(() => expect(client.state.members.get('r2')).toBeDefined());
  });
});

describe('ChatClient.loadOlder', () => {
  /** The history requests Parley receives. */
  const recordHistory = (parley: FakeParley) => {
    const requests: Array<Record<string, unknown>> = [];
    const request = parley.request.bind(parley);
    parley.request = async <T>(action: string, payload?: Record<string, unknown>): Promise<T> => {
      if (action === 'getHistory') requests.push({ ...payload });
      return request<T>(action, payload);
    };
    return requests;
  };

  it('asks for one page at a time, however often the reader reaches the top', async () => {
    const { parley, client, texts } = setup();
    parley.messages.push(...Array.from({ length: 120 }, (_, i) => message('r1', `m${i}`)));
    await client.resume({ resumed: false });
    await client.openRoom('r1');
    const requests = recordHistory(parley);

    const asking = [client.loadOlder('r1'), client.loadOlder('r1'), client.loadOlder('r1')];
    const loading = client.isLoadingOlder('r1');
    await Promise.all(asking);

    expect(loading).toBe(true);
    expect(client.isLoadingOlder('r1')).toBe(false);
    expect(requests).toHaveLength(1);
    expect(texts()).toEqual(Array.from({ length: 100 }, (_, i) => `m${20 + i}`));
  });

  it('asks again from the same place after a page failed to load', async () => {
    const { parley, client, texts } = setup();
    parley.messages.push(...Array.from({ length: 60 }, (_, i) => message('r1', `m${i}`)));
    await client.resume({ resumed: false });
    await client.openRoom('r1');
    const requests = recordHistory(parley);

    parley.failWith = new RequestError('INTERNAL', 'Try again.');
    await client.loadOlder('r1');
    parley.failWith = undefined;
    await client.loadOlder('r1');

    expect(requests.map((r) => r['cursor'])).toEqual([requests[0]?.['cursor'], requests[0]?.['cursor']]);
    expect(client.state.notices.map((n) => n.text)).toEqual(['Could not load history: Try again.']);
    expect(texts()).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`));
    expect(timelineOf(client.state, 'r1').history).toBe('complete');
  });

  it('loads the latest page of a room opened while the connection was down, once it is back', async () => {
    const { parley, client, texts } = setup();
    parley.messages.push(message('r1', 'hello'));
    await client.resume({ resumed: false });
    parley.online = false;
    await client.openRoom('r1');
    const whileDown = timelineOf(client.state, 'r1').history;

    parley.online = true;
    await client.resume({ resumed: true });

    expect(whileDown).toBe('unloaded');
    expect(texts()).toEqual(['hello']);
  });
});

describe('ChatClient.updateProfile', () => {
  it('shows the accepted name and then saves it with the identity provider', async () => {
    const parley = new FakeParley();
    const saved: string[] = [];
    const client = new ChatClient({ me: parley.me, transport: parley, onDisplayNameChanged: async (name) => void saved.push(name) });

    const ok = await client.updateProfile('  Alice Liddell ');

    expect(ok).toBe(true);
    expect(client.state.me.displayName).toBe('Alice Liddell');
    expect(saved).toEqual(['Alice Liddell']);
  });

  it('keeps the old name and says why when Parley refuses it', async () => {
    const parley = new FakeParley();
    parley.failWith = new RequestError('BAD_REQUEST', 'A display name cannot contain control or invisible characters.');
    const saved: string[] = [];
    const client = new ChatClient({ me: parley.me, transport: parley, onDisplayNameChanged: async (name) => void saved.push(name) });

    const ok = await client.updateProfile('bad\u0007');

    expect(ok).toBe(false);
    expect(client.state.me.displayName).toBe('Alice');
    expect(saved).toEqual([]);
    expect(client.state.notices.at(-1)?.text).toMatch(/control or invisible/);
  });

  it('follows a rename made in another tab (a memberRenamed event about itself)', () => {
    const parley = new FakeParley();
    const client = new ChatClient({ me: parley.me, transport: parley });

    client.receive({
      type: 'roomEvent',
      roomId: 'r1',
      event: { kind: 'memberRenamed', member: { roomId: 'r1', userId: 'u-alice', displayName: 'Al', role: 'owner', joinedAt: '' } },
    });

    expect(client.state.me.displayName).toBe('Al');
  });
});
