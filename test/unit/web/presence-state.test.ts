import { describe, expect, it, vi } from 'vitest';
import { ChatClient, READ_MARK_DELAY_MS } from '../../../web/src/client';
import {
  applyListedPresence,
  applyPresence,
  applyRead,
  applyTyping,
  emptyPresence,
  typingText,
  typistsOf,
  unreadAfter,
} from '../../../web/src/presence-state';
import type { ListedRoom, ServerFrame } from '../../../web/src/protocol';
import { initialState, reduce, type AppEvent, type AppState } from '../../../web/src/state';
import { TypingSender } from '../../../web/src/typing-sender';
import { unreadOf, unreadText } from '../../../web/src/unread';
import { FakeParley, message } from '../../support/fakes/web';

const me = { userId: 'u-alice', displayName: 'Alice' };
const lobby: ListedRoom = { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '', role: 'owner' };
const run = (state: AppState, ...events: AppEvent[]) => events.reduce(reduce, state);
const frame = (f: ServerFrame): AppEvent => ({ type: 'frame', frame: f });

describe('presence in the client', () => {
  it('follows presence frames and takes a listing as the truth for those it names', () => {
    let slice = applyPresence(emptyPresence(), { userId: 'u-bob', online: true });
    expect(slice.online).toEqual(new Set(['u-bob']));
    slice = applyListedPresence(slice, [{ userId: 'u-bob', online: false }, { userId: 'u-carol', online: true }, { userId: 'u-dan' }]);
    expect(slice.online).toEqual(new Set(['u-carol']));
    expect(applyPresence(slice, { userId: 'u-carol', online: true })).toBe(slice);
  });

  it('counts a member who just joined as online', () => {
    const state = run(initialState(me), frame({
      type: 'roomEvent',
      roomId: 'r1',
      event: { kind: 'memberJoined', member: { roomId: 'r1', userId: 'u-bob', displayName: 'Bob', role: 'member', joinedAt: '' } },
    }));

    expect(state.presence.online.has('u-bob')).toBe(true);
  });
});

describe('typing in the client', () => {
  const notice = (userId: string, displayName: string) =>
    ({ type: 'typing', roomId: 'r1', userId, displayName, expiresInMs: 6000 }) as const;

  it('shows a notice until it lapses, renewed by a newer one', () => {
    let slice = applyTyping(emptyPresence(), notice('u-bob', 'Bob'), 1000);
    expect(typistsOf(slice, 'r1', 6999).map((t) => t.userId)).toEqual(['u-bob']);
    expect(typistsOf(slice, 'r1', 7000)).toEqual([]);
    slice = applyTyping(slice, notice('u-bob', 'Bob'), 5000);
    expect(typistsOf(slice, 'r1', 10_000)).toHaveLength(1);
  });

  it("ends a person's notice when their message arrives", () => {
    const state = run(
      initialState(me),
      frame(notice('u-bob', 'Bob')),
      frame({ type: 'message', roomId: 'r1', message: message('r1', 'done typing', { senderId: 'u-bob' }) }),
    );

    expect(typistsOf(state.presence, 'r1', Date.now())).toEqual([]);
  });

  it('says who is typing in words', () => {
    expect(typingText([])).toBe('');
    expect(typingText([{ displayName: 'Bob' }])).toBe('Bob is typing…');
    expect(typingText([{ displayName: 'Bob' }, { displayName: 'Cy' }])).toBe('Bob and Cy are typing…');
    expect(typingText([{ displayName: 'Bob' }, { displayName: 'Cy' }, { displayName: 'Di' }])).toBe('Several people are typing…');
  });

  it('sends a notice at the first keystroke, then at most every 3 s, and afresh after a message', () => {
    let now = 0;
    const sent: string[] = [];
    const sender = new TypingSender((roomId) => sent.push(roomId), () => now);

    sender.typed('r1');
    now = 2999;
    sender.typed('r1');
    sender.typed('r2');
    now = 3000;
    sender.typed('r1');
    sender.sent('r1');
    sender.typed('r1');

    expect(sent).toEqual(['r1', 'r2', 'r1', 'r1']);
  });
});

describe('read state in the client', () => {
  it('never moves a mark back', () => {
    const slice = applyRead(emptyPresence(), 'r1', 'B');
    expect(applyRead(slice, 'r1', 'A')).toBe(slice);
    expect(applyRead(slice, 'r1', 'C').lastRead.get('r1')).toBe('C');
  });

  it('counts messages from others after the mark, and says when older ones are not loaded', () => {
    const [a, b, c] = [message('r1', 'a'), message('r1', 'b'), message('r1', 'c', { senderId: me.userId })];
    expect(unreadAfter([a, b, c], a.messageId, me.userId)).toEqual({ count: 1, atLeast: false });
    expect(unreadAfter([b, c], a.messageId, me.userId)).toEqual({ count: 1, atLeast: true });
    expect(unreadAfter([a, b], undefined, me.userId)).toEqual({ count: 0, atLeast: false });
  });

  it('counts from the server mark once known, from arrivals before that', () => {
    const [a, b] = [message('r2', 'a'), message('r2', 'b')];
    let state = run(initialState(me), { type: 'roomsListed', rooms: [lobby] }, { type: 'roomOpened', roomId: 'r1' });
    state = run(state, frame({ type: 'message', roomId: 'r2', message: a }), frame({ type: 'message', roomId: 'r2', message: b }));
    expect(unreadOf(state, 'r2')).toEqual({ count: 2, atLeast: false });

    state = run(state, frame({ type: 'readState', roomId: 'r2', messageId: a.messageId, readAt: '' }));
    expect(unreadOf(state, 'r2')).toEqual({ count: 1, atLeast: false });
    expect(unreadText({ count: 3, atLeast: true })).toBe('3+');
  });

  it('loads the marks on start and marks only after that, the latest of a burst in one request', async () => {
    vi.useFakeTimers();
    const parley = new FakeParley(me);
    parley.marks.set('r1', '01A');
    const client = new ChatClient({ me, transport: parley });
    await client.markRead('r1', '01B');
    expect(parley.marks.get('r1')).toBe('01A');

    await client.resume({ resumed: false });
    expect(client.state.presence.lastRead.get('r1')).toBe('01A');
    await client.markRead('r1', '01B');
    await client.markRead('r1', '01B');
    await client.markRead('r1', '01A');
    await client.markRead('r1', '01C');

    // On screen at once; to the server once the burst has settled, as one request with the latest mark.
    expect(client.state.presence.lastRead.get('r1')).toBe('01C');
    expect(parley.marks.get('r1')).toBe('01A');
    await vi.advanceTimersByTimeAsync(READ_MARK_DELAY_MS);
    expect(parley.marks.get('r1')).toBe('01C');
    expect(parley.markReadRequests).toBe(1);
    vi.useRealTimers();
  });
});
