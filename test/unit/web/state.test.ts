import { describe, expect, it } from 'vitest';
import type { ListedRoom, Membership, ServerFrame } from '../../../web/src/protocol';
import { initialState, myRole, reduce, timelineOf, type AppEvent, type AppState } from '../../../web/src/state';
import { message } from '../../support/fakes/web';

const me = { userId: 'u-alice', displayName: 'Alice' };
const lobby: ListedRoom = { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '', role: 'owner' };
const secret: ListedRoom = { roomId: 'r2', name: 'Secret', visibility: 'private', ownerId: 'u-bob', createdAt: '', role: 'member' };
const member = (userId: string, role: Membership['role'], roomId = 'r1'): Membership => ({
  roomId,
  userId,
  displayName: userId,
  role,
  joinedAt: '',
});

const run = (state: AppState, ...events: AppEvent[]) => events.reduce(reduce, state);
const frame = (f: ServerFrame): AppEvent => ({ type: 'frame', frame: f });
const withRooms = () => run(initialState(me), { type: 'roomsListed', rooms: [lobby, secret] }, { type: 'roomOpened', roomId: 'r1' });

describe('reduce: frames', () => {
  it('adds a message frame to its room timeline', () => {
    const m = message('r1', 'hi');

    const state = run(withRooms(), frame({ type: 'message', roomId: 'r1', message: m }));

    expect(timelineOf(state, 'r1').messages).toEqual([m]);
  });

  it('counts messages from others in rooms not on screen as unread, once each', () => {
    const m = message('r2', 'psst');
    const mine = message('r2', 'mine', { senderId: me.userId });

    const state = run(
      withRooms(),
      frame({ type: 'message', roomId: 'r2', message: m }),
      frame({ type: 'message', roomId: 'r2', message: m }),
      frame({ type: 'message', roomId: 'r2', message: mine }),
      frame({ type: 'message', roomId: 'r1', message: message('r1', 'here') }),
    );

    expect(state.unread.get('r2')).toBe(1);
    expect(state.unread.has('r1')).toBe(false);
    expect(run(state, { type: 'roomOpened', roomId: 'r2' }).unread.has('r2')).toBe(false);
  });

  it('applies moderation updates to the message they name', () => {
    const m = message('r1', 'call me at 555-0100', { moderation: 'pending' });
    const redacted = { ...m, text: 'call me at [phone]', moderation: 'redacted' as const };

    const state = run(
      withRooms(),
      frame({ type: 'message', roomId: 'r1', message: m }),
      frame({ type: 'messageUpdated', roomId: 'r1', message: redacted }),
    );

    expect(timelineOf(state, 'r1').messages).toEqual([redacted]);
  });

  it('removes a message the user may no longer see', () => {
    const m = message('r1', 'spam');

    const state = run(
      withRooms(),
      frame({ type: 'message', roomId: 'r1', message: m }),
      frame({ type: 'messageRemoved', roomId: 'r1', messageId: m.messageId }),
    );

    expect(timelineOf(state, 'r1').messages).toEqual([]);
  });

  it('streams an agent reply and settles it on agentDone', () => {
    const agent = { handle: 'helper', displayName: 'Helper' };
    const final = {
      ...message('r1', 'Hi all', { messageId: 'R1', senderType: 'agent', senderName: 'Helper' }),
      agent: { handle: 'helper', modelId: 'm', inputTokens: 10, outputTokens: 3, latencyMs: 200, replyDepth: 0, triggerMessageId: 'M1' },
    };

    const streaming = run(
      withRooms(),
      frame({ type: 'agentDelta', roomId: 'r1', replyId: 'R1', agent, text: 'Hi', seq: 0 }),
      frame({ type: 'agentDelta', roomId: 'r1', replyId: 'R1', agent, text: ' all', seq: 1 }),
    );
    const done = run(streaming, frame({ type: 'agentDone', roomId: 'r1', replyId: 'R1', message: final }));

    expect(timelineOf(streaming, 'r1').replies[0]?.text).toBe('Hi all');
    expect(timelineOf(done, 'r1').replies).toEqual([]);
    expect(timelineOf(done, 'r1').messages).toEqual([final]);
  });

  it('shows notices and unsolicited errors, keeping the last few', () => {
    let state = withRooms();
    for (let i = 0; i < 6; i += 1) state = reduce(state, frame({ type: 'notice', roomId: 'r1', text: `n${i}`, code: 'X' }));
    state = reduce(state, frame({ type: 'error', code: 'MALFORMED_JSON', message: 'The frame is not valid JSON.' }));

    expect(state.notices.map((n) => n.text)).toEqual(['n3', 'n4', 'n5', 'The frame is not valid JSON.']);
    expect(state.notices.at(-1)?.tone).toBe('error');
  });

  it('keeps member lists and the caller’s role current from room events', () => {
    const state = run(
      withRooms(),
      { type: 'membersListed', roomId: 'r1', members: [member('u-alice', 'owner'), member('u-bob', 'member')] },
      frame({ type: 'roomEvent', roomId: 'r1', event: { kind: 'memberJoined', member: member('u-carol', 'member') } }),
      frame({ type: 'roomEvent', roomId: 'r1', event: { kind: 'roleChanged', member: member('u-bob', 'moderator'), by: 'u-alice' } }),
      frame({ type: 'roomEvent', roomId: 'r1', event: { kind: 'memberLeft', userId: 'u-carol' } }),
      frame({ type: 'roomEvent', roomId: 'r2', event: { kind: 'roleChanged', member: member('u-alice', 'guest', 'r2'), by: 'u-bob' } }),
    );

    expect(state.members.get('r1')?.map((m) => [m.userId, m.role])).toEqual([
      ['u-alice', 'owner'],
      ['u-bob', 'moderator'],
    ]);
    expect(myRole(state, 'r2')).toBe('guest');
  });

  it('drops a private room the caller was removed from, and says so', () => {
    const state = run(
      withRooms(),
      { type: 'roomOpened', roomId: 'r2' },
      frame({ type: 'message', roomId: 'r2', message: message('r2', 'x') }),
      frame({ type: 'roomEvent', roomId: 'r2', event: { kind: 'memberRemoved', userId: 'u-alice', by: 'u-bob' } }),
    );

    expect(state.rooms.has('r2')).toBe(false);
    expect(state.timelines.has('r2')).toBe(false);
    // The room's page stays open to say why it is empty.
    expect(state.roomAccess.get('r2')).toEqual({ status: 'unavailable' });
    expect(state.notices.at(-1)?.text).toBe('You were removed from Secret.');
  });

  it('keeps a public room listed, without a role, after leaving it', () => {
    const state = run(withRooms(), { type: 'roomLeft', roomId: 'r1' });

    expect(state.rooms.get('r1')).toEqual({ ...lobby, role: undefined });
    expect(myRole(state, 'r1')).toBeUndefined();
  });

  it('drops a removed agent and ignores frames of unknown rooms gracefully', () => {
    const agents = [
      { handle: 'helper', displayName: 'Helper', modelId: 'm', trigger: { mode: 'mention' as const }, useMemory: false },
      { handle: 'critic', displayName: 'Critic', modelId: 'm', trigger: { mode: 'mention' as const }, useMemory: true },
    ];

    const state = run(
      withRooms(),
      { type: 'agentsListed', roomId: 'r1', agents },
      frame({ type: 'agentChanged', roomId: 'r1', change: 'removed', agent: { handle: 'helper', displayName: 'Helper' }, by: 'u-alice' }),
      frame({ type: 'agentChanged', roomId: 'r9', change: 'removed', agent: { handle: 'x', displayName: 'X' }, by: 'u-alice' }),
    );

    expect(state.agents.get('r1')?.map((a) => a.handle)).toEqual(['critic']);
    expect(state.agents.has('r9')).toBe(false);
  });
});

describe('reduce: the client’s own requests', () => {
  it('shows a message while it is sent and replaces it with the stored one', () => {
    const pending = { clientMessageId: 'c-1', roomId: 'r1', text: 'hello', senderId: me.userId, senderName: 'Alice', createdAt: '' };

    const sending = run(withRooms(), { type: 'sending', pending });
    const sent = run(sending, {
      type: 'sent',
      roomId: 'r1',
      ack: { clientMessageId: 'c-1', messageId: '01JDB1000000000000000000AA', createdAt: '2026-11-21T10:00:00.000Z' },
    });

    expect(timelineOf(sending, 'r1').pending).toHaveLength(1);
    expect(timelineOf(sent, 'r1').pending).toEqual([]);
    expect(timelineOf(sent, 'r1').messages.map((m) => m.text)).toEqual(['hello']);
  });

  it('replaces a timeline with the latest page but keeps what is still being sent', () => {
    const old = message('r1', 'old');
    const latest = message('r1', 'latest');
    const pending = { clientMessageId: 'c-1', roomId: 'r1', text: 'wip', senderId: me.userId, senderName: 'Alice', createdAt: '' };

    const state = run(
      withRooms(),
      { type: 'olderPage', roomId: 'r1', page: { items: [old] } },
      { type: 'sending', pending },
      { type: 'timelineReset', roomId: 'r1', page: { items: [latest], nextCursor: latest.messageId } },
    );

    expect(timelineOf(state, 'r1')).toMatchObject({ history: 'partial', olderCursor: latest.messageId });
    expect(timelineOf(state, 'r1').messages).toEqual([latest]);
    expect(timelineOf(state, 'r1').pending.map((p) => p.text)).toEqual(['wip']);
  });

  it('notes a request for older history until its page, or its failure, arrives', () => {
    const latest = message('r1', 'latest');

    const asked = run(withRooms(), { type: 'olderRequested', roomId: 'r1' });
    const answered = run(asked, { type: 'olderPage', roomId: 'r1', page: { items: [latest], nextCursor: latest.messageId } });
    const failed = run(asked, { type: 'olderFailed', roomId: 'r1' });

    expect([...asked.loadingOlder]).toEqual(['r1']);
    expect(answered.loadingOlder.size).toBe(0);
    expect(timelineOf(answered, 'r1').messages).toEqual([latest]);
    expect(failed.loadingOlder.size).toBe(0);
    expect(timelineOf(failed, 'r1').history).toBe('unloaded');
  });

  it('applies an older page only where the timeline is waiting for it', () => {
    const [older, old, latest] = [message('r1', 'older'), message('r1', 'old'), message('r1', 'latest')];
    const opened = run(withRooms(), { type: 'olderPage', roomId: 'r1', page: { items: [old], nextCursor: old.messageId } });

    // Asked for before catching up replaced the timeline: applying it would leave a hole.
    const late = run(
      opened,
      { type: 'olderRequested', roomId: 'r1' },
      { type: 'timelineReset', roomId: 'r1', page: { items: [latest], nextCursor: latest.messageId } },
      { type: 'olderPage', roomId: 'r1', from: old.messageId, page: { items: [older], nextCursor: older.messageId } },
    );
    // The same page answered twice: the second must not send the cursor back.
    const twice = run(
      opened,
      { type: 'olderPage', roomId: 'r1', from: old.messageId, page: { items: [older] } },
      { type: 'olderPage', roomId: 'r1', from: old.messageId, page: { items: [older], nextCursor: older.messageId } },
    );

    expect(timelineOf(late, 'r1').messages).toEqual([latest]);
    expect(timelineOf(late, 'r1').olderCursor).toBe(latest.messageId);
    expect(late.loadingOlder.size).toBe(0);
    expect(timelineOf(twice, 'r1').messages).toEqual([older, old]);
    expect(timelineOf(twice, 'r1').history).toBe('complete');
  });

  it('marks loaded timelines as possibly missing messages when the connection drops', () => {
    const m = message('r1', 'seen');
    const online = run(withRooms(), { type: 'status', status: 'online' }, { type: 'olderPage', roomId: 'r1', page: { items: [m] } });

    const dropped = run(online, { type: 'status', status: 'reconnecting' });

    expect(timelineOf(online, 'r1').gap).toBeUndefined();
    expect(timelineOf(dropped, 'r1').gap).toEqual({ after: m.messageId });
  });

  it('returns the same state for events that change nothing', () => {
    const state = withRooms();

    expect(reduce(state, { type: 'status', status: state.status })).toBe(state);
    expect(reduce(state, frame({ type: 'ack', action: 'listRooms', requestId: 'r1', data: {} }))).toBe(state);
  });
});
