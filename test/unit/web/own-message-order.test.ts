import { describe, expect, it } from 'vitest';
import type { ChatMessage, ServerFrame } from '../../../web/src/protocol';
import { initialState, reduce, timelineOf, type AppEvent, type AppState } from '../../../web/src/state';
import { timelineItems } from '../../../web/src/timeline';
import { message } from '../../support/fakes/web';

const me = { userId: 'u-ben', displayName: 'ben' };
const run = (state: AppState, ...events: AppEvent[]) => events.reduce(reduce, state);
const frame = (f: ServerFrame): AppEvent => ({ type: 'frame', frame: f });
const arrives = (m: ChatMessage): AppEvent => frame({ type: 'message', roomId: 'r1', message: m });
const opened = () =>
  run(
    initialState(me),
    { type: 'roomsListed', rooms: [{ roomId: 'r1', name: 'Grouping', visibility: 'public', ownerId: 'u-ann', createdAt: '', role: 'member' }] },
    { type: 'roomOpened', roomId: 'r1' },
  );
/** What the screen shows, top to bottom: stored rows by text, then rows still sending. */
const shown = (state: AppState) =>
  timelineItems(timelineOf(state, 'r1')).map((item) => (item.kind === 'message' ? item.message.text : item.kind === 'pending' ? `(${item.pending.text})` : '…'));

/**
 * The sender's own message between send and ack, while others' messages
 * arrive around it: wherever the ack and the room's copy come in that
 * stream, the confirmed message takes its server position (its messageId,
 * the messages table's sort key), not its place in the order of events.
 */
describe('a sender’s own message among messages arriving around it', () => {
  // Server order: one (ann), two (ann), four (ben), three (ann).
  const one = message('r1', 'one', { senderId: 'u-ann', senderName: 'ann' });
  const two = message('r1', 'two', { senderId: 'u-ann', senderName: 'ann' });
  const four = message('r1', 'four', { senderId: me.userId, senderName: 'ben', clientMessageId: 'c-4' });
  const three = message('r1', 'three', { senderId: 'u-ann', senderName: 'ann' });
  const sending: AppEvent = {
    type: 'sending',
    pending: { clientMessageId: 'c-4', roomId: 'r1', text: 'four', senderId: me.userId, senderName: 'ben', createdAt: four.createdAt },
  };
  const sent: AppEvent = { type: 'sent', roomId: 'r1', ack: { clientMessageId: 'c-4', messageId: four.messageId, createdAt: four.createdAt } };

  it('shows the pending message last while it is sending, then in its server position once acknowledged', () => {
    const pendingState = run(opened(), arrives(one), sending, arrives(two), arrives(three));
    const state = run(pendingState, sent);

    expect(shown(pendingState)).toEqual(['one', 'two', 'three', '(four)']);
    expect(shown(state)).toEqual(['one', 'two', 'four', 'three']);
  });

  it('places it the same whichever comes first: the ack, the room’s copy, or others’ later messages', () => {
    const orders: AppEvent[][] = [
      [arrives(one), sending, arrives(two), sent, arrives(four), arrives(three)],
      [arrives(one), sending, arrives(two), arrives(four), arrives(three), sent],
      [arrives(one), sending, arrives(three), arrives(two), sent, arrives(four)],
      [sending, arrives(three), sent, arrives(two), arrives(one)],
      [sending, arrives(four), arrives(three), arrives(one), arrives(two), sent],
    ];

    for (const events of orders) expect(shown(run(opened(), ...events))).toEqual(['one', 'two', 'four', 'three']);
  });

  it('keeps a message the server stored after others’ below them, even though it was written first', () => {
    const later = message('r1', 'later', { senderId: me.userId, senderName: 'ben', clientMessageId: 'c-5' });
    const state = run(
      opened(),
      { type: 'sending', pending: { clientMessageId: 'c-5', roomId: 'r1', text: 'later', senderId: me.userId, senderName: 'ben', createdAt: one.createdAt } },
      arrives(one),
      arrives(two),
      { type: 'sent', roomId: 'r1', ack: { clientMessageId: 'c-5', messageId: later.messageId, createdAt: later.createdAt } },
    );

    expect(shown(state)).toEqual(['one', 'two', 'later']);
  });
});
