import { describe, expect, it } from 'vitest';
import type { Membership, Room, ServerFrame } from '../../../web/src/protocol';
import { initialState, myRole, reduce, type AppEvent, type AppState } from '../../../web/src/state';

const me = { userId: 'u-dan', displayName: 'dan' };
const room: Room = { roomId: 'r1', name: 'Open house', visibility: 'public', ownerId: 'u-carol', createdAt: '2026-12-06T10:00:00.000Z' };
const membership: Membership = { roomId: 'r1', userId: me.userId, displayName: 'dan', role: 'member', joinedAt: '2026-12-06T10:05:00.000Z' };
const run = (state: AppState, ...events: AppEvent[]) => events.reduce(reduce, state);
const frame = (f: ServerFrame): AppEvent => ({ type: 'frame', frame: f });

/** Dan opened a link to a public room he is not in: it shows its preview. */
const previewing = () =>
  run(
    initialState(me),
    { type: 'roomsListed', rooms: [room] },
    { type: 'roomOpened', roomId: 'r1' },
    { type: 'roomAccessChecked', roomId: 'r1', access: { status: 'preview', room, memberCount: 1, messages: [], banned: false } },
  );

/**
 * Joining from a preview: Parley tells the person's tabs (`roomAdded`, and
 * `memberJoined` to the room) before it acknowledges `joinRoom`, so the
 * screen must not say "you are member" over a preview still offering to
 * join until the ack comes. Whatever says first that the person is a
 * member ends the preview.
 */
describe('joining a room from its preview', () => {
  it('ends the preview on the roomAdded frame that comes before the ack', () => {
    const state = run(previewing(), frame({ type: 'roomAdded', room, membership }));

    expect(myRole(state, 'r1')).toBe('member');
    expect(state.roomAccess.get('r1')).toBeUndefined();
  });

  it('ends the preview on the person’s own memberJoined event too', () => {
    const state = run(previewing(), frame({ type: 'roomEvent', roomId: 'r1', event: { kind: 'memberJoined', member: membership } } as ServerFrame));

    expect(myRole(state, 'r1')).toBe('member');
    expect(state.roomAccess.get('r1')).toBeUndefined();
  });

  it('keeps the preview when someone else joins', () => {
    const state = run(
      previewing(),
      frame({ type: 'roomEvent', roomId: 'r1', event: { kind: 'memberJoined', member: { ...membership, userId: 'u-erin', displayName: 'erin' } } } as ServerFrame),
    );

    expect(myRole(state, 'r1')).toBeUndefined();
    expect(state.roomAccess.get('r1')).toMatchObject({ status: 'preview' });
  });
});
