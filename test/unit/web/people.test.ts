import { describe, expect, it } from 'vitest';
import { ChatClient, type Transport } from '../../../web/src/client';
import { RequestError } from '../../../web/src/connection';
import type { Invitation } from '../../../web/src/invitations';
import { PeopleClient, PersonSearch, type PersonSummary, type Timers } from '../../../web/src/people';
import { initialState, reduce } from '../../../web/src/state';

const me = { userId: 'u-bob', displayName: 'Bob' };

const invitation = (roomId: string, overrides: Partial<Invitation> = {}): Invitation => ({
  roomId,
  userId: me.userId,
  role: 'member',
  invitedBy: 'u-alice',
  invitedByName: 'Alice',
  inviteeName: me.displayName,
  invitedAt: '2026-11-21T12:00:00.000Z',
  roomName: `Room ${roomId}`,
  expiresAt: '2026-11-28T12:00:00.000Z',
  ...overrides,
});

/** Answers each action from a table; records what was asked. */
class ScriptedTransport implements Transport {
  readonly asked: Array<{ action: string; payload: Record<string, unknown> }> = [];
  constructor(private readonly answers: Record<string, (payload: Record<string, unknown>) => unknown>) {}
  async request<T>(action: string, payload: Record<string, unknown> = {}): Promise<T> {
    this.asked.push({ action, payload });
    const answer = this.answers[action];
    if (!answer) throw new RequestError('UNKNOWN_ACTION', `Unknown action "${action}".`);
    return answer(payload) as T;
  }
}

const setup = (answers: Record<string, (payload: Record<string, unknown>) => unknown>) => {
  const transport = new ScriptedTransport(answers);
  const client = new ChatClient({ me, transport });
  return { transport, client, people: new PeopleClient(client, transport) };
};

describe('invitations in the client state', () => {
  const room = { roomId: 'r1', name: 'Room r1', visibility: 'private' as const, ownerId: 'u-alice', createdAt: '' };
  const membership = { roomId: 'r1', userId: me.userId, displayName: 'Bob', role: 'member' as const, joinedAt: '' };

  it('adds an invitation from a frame, renews it, and drops it when withdrawn, with a notice', () => {
    let state = reduce(initialState(me), { type: 'frame', frame: { type: 'invitation', invitation: invitation('r1') } });
    state = reduce(state, { type: 'frame', frame: { type: 'invitation', invitation: invitation('r1', { role: 'guest' }) } });
    expect([...state.invitations.values()].map((i) => i.role)).toEqual(['guest']);

    state = reduce(state, { type: 'frame', frame: { type: 'invitationRevoked', roomId: 'r1', by: 'u-alice' } });

    expect(state.invitations.size).toBe(0);
    expect(state.notices.at(-1)?.text).toBe('Your invitation to Room r1 was withdrawn.');
  });

  it('lists a room added from any tab, with the role, and forgets its invitation', () => {
    let state = reduce(initialState(me), { type: 'invitationsListed', invitations: [invitation('r1')] });

    state = reduce(state, { type: 'frame', frame: { type: 'roomAdded', room, membership } });

    expect(state.rooms.get('r1')).toMatchObject({ name: 'Room r1', role: 'member' });
    expect(state.invitations.size).toBe(0);
  });

  it('drops an invitation declined in another tab, silently', () => {
    let state = reduce(initialState(me), { type: 'invitationsListed', invitations: [invitation('r1'), invitation('r2')] });

    state = reduce(state, { type: 'frame', frame: { type: 'invitationDeclined', roomId: 'r1' } });

    expect([...state.invitations.keys()]).toEqual(['r2']);
    expect(state.notices).toEqual([]);
  });
});

describe('PeopleClient', () => {
  it('loads the invitations on connect, replacing what was known', async () => {
    const { client, people } = setup({
      whoami: () => ({ profile: { ...me, createdAt: '' } }),
      listInvitations: () => ({ invitations: [invitation('r2')] }),
    });
    client.dispatch({ type: 'invitationsListed', invitations: [invitation('r1')] });

    await people.resume();

    expect([...client.state.invitations.keys()]).toEqual(['r2']);
  });

  it('takes the display name Parley keeps when the token’s is older', async () => {
    const { client, people } = setup({
      whoami: () => ({ profile: { ...me, displayName: 'Robert', createdAt: '' } }),
      listInvitations: () => ({ invitations: [] }),
    });

    await people.resume();

    expect(client.state.me.displayName).toBe('Robert');
  });

  it('accepts an invitation: the room is listed with its role and the invitation goes', async () => {
    const { client, people, transport } = setup({
      acceptInvitation: (p) => ({ membership: { roomId: p['roomId'], userId: me.userId, displayName: 'Bob', role: 'guest', joinedAt: '' } }),
    });
    client.dispatch({ type: 'invitationsListed', invitations: [invitation('r1', { role: 'guest' })] });

    expect(await people.accept(invitation('r1'))).toBe(true);

    expect(transport.asked).toEqual([{ action: 'acceptInvitation', payload: { roomId: 'r1' } }]);
    expect(client.state.rooms.get('r1')).toMatchObject({ name: 'Room r1', role: 'guest' });
    expect(client.state.invitations.size).toBe(0);
  });

  it('drops an invitation that expired meanwhile, saying why', async () => {
    const { client, people } = setup({
      declineInvitation: () => {
        throw new RequestError('NOT_FOUND', 'You have no pending invitation to room "r1".');
      },
    });
    client.dispatch({ type: 'invitationsListed', invitations: [invitation('r1')] });

    expect(await people.decline(invitation('r1'))).toBe(false);

    expect(client.state.invitations.size).toBe(0);
    expect(client.state.notices.at(-1)?.text).toContain('no pending invitation');
  });

  it('searches people by name, never with an address', async () => {
    const { people, transport } = setup({ findUsers: () => ({ users: [{ userId: 'u-bo', displayName: 'Bo' }] }) });

    expect(await people.findUsers(' bo ')).toEqual([{ userId: 'u-bo', displayName: 'Bo' }]);
    expect(await people.findUsers('bo@example.com')).toEqual([]);
    expect(transport.asked).toEqual([{ action: 'findUsers', payload: { query: 'bo', limit: 8 } }]);
  });
});

/** Lets settled promises run their callbacks (one turn of the event loop; no time passes). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PersonSearch', () => {
  /** Timers run by hand: `fire()` runs whatever is due. */
  const manualTimers = () => {
    const pending = new Map<number, () => void>();
    let next = 0;
    const timers: Timers = {
      setTimeout: (run) => {
        pending.set(++next, run);
        return next;
      },
      clearTimeout: (handle) => void pending.delete(handle as number),
    };
    const fire = () => {
      const due = [...pending.values()];
      pending.clear();
      for (const run of due) run();
    };
    return { timers, fire, pending };
  };

  it('searches once typing pauses, for the last text typed', async () => {
    const queries: string[] = [];
    const results: Array<[string, PersonSummary[] | 'failed']> = [];
    const { timers, fire } = manualTimers();
    const search = new PersonSearch(
      async (q) => {
        queries.push(q);
        return [{ userId: 'u-bo', displayName: 'Bo' }];
      },
      (q, found) => results.push([q, found]),
      timers,
    );

    search.typed('b');
    search.typed('bo');
    fire();
    await settle();

    expect(queries).toEqual(['bo']);
    expect(results).toEqual([['bo', [{ userId: 'u-bo', displayName: 'Bo' }]]]);
  });

  it('drops an answer that arrives after a newer query was typed', async () => {
    const results: string[] = [];
    const answers: Array<(people: PersonSummary[]) => void> = [];
    const { timers, fire } = manualTimers();
    const search = new PersonSearch(
      (q) => new Promise((resolve) => answers.push(() => resolve([{ userId: q, displayName: q }]))),
      (q) => results.push(q),
      timers,
    );

    search.typed('b');
    fire();
    search.typed('bo');
    fire();
    answers[1]!([]);
    answers[0]!([]);
    await settle();

    expect(results).toEqual(['bo']);
  });

  it('clears the results at once when the box is emptied', () => {
    const results: Array<[string, unknown]> = [];
    const { timers, pending } = manualTimers();
    const search = new PersonSearch(async () => [], (q, found) => results.push([q, found]), timers);

    search.typed('b');
    search.typed('');

    expect(pending.size).toBe(0);
    expect(results).toEqual([['', []]]);
  });
});
