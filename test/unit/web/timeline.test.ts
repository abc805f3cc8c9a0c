import { describe, expect, it } from 'vitest';
import {
  addPending,
  applyCatchUp,
  catchUpFrom,
  markGap,
  applyAgentDelta,
  applyAgentDone,
  applyOlderPage,
  awaitsPageFrom,
  confirmPending,
  emptyTimeline,
  failPending,
  lastSeenId,
  mergeMessages,
  removeMessage,
  retryPending,
  timelineItems,
  updateMessage,
  type Timeline,
} from '../../../web/src/timeline';
import { message } from '../../support/fakes/web';

const ids = (timeline: Timeline) => timeline.messages.map((m) => m.messageId);
const texts = (timeline: Timeline) => timeline.messages.map((m) => m.text);

const pendingFrom = (clientMessageId: string, text: string) => ({
  clientMessageId,
  roomId: 'r1',
  text,
  senderId: 'u-alice',
  senderName: 'Alice',
  createdAt: '2026-11-21T10:00:00.000Z',
});

describe('mergeMessages', () => {
  it('keeps messages in id order whatever order they arrive in', () => {
    const [a, b, c] = [message('r1', 'a'), message('r1', 'b'), message('r1', 'c')];

    const timeline = mergeMessages(mergeMessages(emptyTimeline(), [c!]), [a!, b!]);

    expect(texts(timeline)).toEqual(['a', 'b', 'c']);
  });

  it('keeps one copy of a message that arrives live and again in a history page', () => {
    const [a, b] = [message('r1', 'a'), message('r1', 'b')];
    const live = mergeMessages(emptyTimeline(), [b!]);

    const timeline = applyOlderPage(live, { items: [a!, b!] });

    expect(ids(timeline)).toEqual([a!.messageId, b!.messageId]);
  });

  it('replaces the pending entry of a message with the stored one, matched by clientMessageId', () => {
    const sending = addPending(emptyTimeline(), pendingFrom('c-1', 'hello'));
    const stored = message('r1', 'hello', { senderId: 'u-alice', clientMessageId: 'c-1' });

    const timeline = mergeMessages(sending, [stored]);

    expect(timeline.pending).toEqual([]);
    expect(timelineItems(timeline).map((i) => i.kind)).toEqual(['message']);
  });

  it('keeps the pending entry of another sender with the same clientMessageId', () => {
    const sending = addPending(emptyTimeline(), pendingFrom('c-1', 'mine'));
    const theirs = message('r1', 'theirs', { senderId: 'u-bob', clientMessageId: 'c-1' });

    const timeline = mergeMessages(sending, [theirs]);

    expect(timeline.pending.map((p) => p.text)).toEqual(['mine']);
  });

  it('does not take a moderated message back to pending when a stale copy arrives', () => {
    const pending = message('r1', 'hello', { moderation: 'pending' });
    const redacted = { ...pending, text: 'h***o', moderation: 'redacted' as const };

    const timeline = mergeMessages(updateMessage(mergeMessages(emptyTimeline(), [pending]), redacted), [pending]);

    expect(timeline.messages).toEqual([redacted]);
  });
});

describe('removeMessage', () => {
  it('takes a message away for good, unless a moderator brings it back', () => {
    const [a, b] = [message('r1', 'a'), message('r1', 'b')];
    const removed = removeMessage(mergeMessages(emptyTimeline(), [a!, b!]), a!.messageId);

    const stale = applyOlderPage(removed, { items: [a!, b!] });
    const released = updateMessage(stale, { ...a!, moderation: 'allowed' });

    expect(texts(removed)).toEqual(['b']);
    expect(texts(stale)).toEqual(['b']);
    expect(texts(released)).toEqual(['a', 'b']);
  });
});

describe('applyOlderPage', () => {
  it('remembers the cursor of the next older page, and when the beginning is reached', () => {
    const [a, b, c] = [message('r1', 'a'), message('r1', 'b'), message('r1', 'c')];

    const partial = applyOlderPage(emptyTimeline(), { items: [b!, c!], nextCursor: b!.messageId });
    const complete = applyOlderPage(partial, { items: [a!] });

    expect(partial).toMatchObject({ history: 'partial', olderCursor: b!.messageId });
    expect(complete.history).toBe('complete');
    expect(complete.olderCursor).toBeUndefined();
    expect(texts(complete)).toEqual(['a', 'b', 'c']);
  });
});

describe('awaitsPageFrom', () => {
  it('waits for the latest page first, then for the page from its cursor, and for none once complete', () => {
    const [a, b] = [message('r1', 'a'), message('r1', 'b')];
    const partial = applyOlderPage(emptyTimeline(), { items: [b!], nextCursor: b!.messageId });
    const complete = applyOlderPage(partial, { items: [a!] });

    expect(awaitsPageFrom(emptyTimeline(), undefined)).toBe(true);
    expect(awaitsPageFrom(partial, undefined)).toBe(false);
    expect(awaitsPageFrom(partial, b!.messageId)).toBe(true);
    expect(awaitsPageFrom(partial, a!.messageId)).toBe(false);
    expect(awaitsPageFrom(complete, b!.messageId)).toBe(false);
  });
});

describe('lastSeenId', () => {
  it('is the newest stored message, where catching up starts', () => {
    const [a, b] = [message('r1', 'a'), message('r1', 'b')];

    expect(lastSeenId(mergeMessages(emptyTimeline(), [b!, a!]))).toBe(b!.messageId);
    expect(lastSeenId(emptyTimeline())).toBeUndefined();
  });
});

describe('markGap', () => {
  it('remembers where catching up must start, whatever arrives live afterwards', () => {
    const [a, b] = [message('r1', 'a'), message('r1', 'b')];
    const loaded = applyOlderPage(emptyTimeline(), { items: [a!] });

    const afterDrop = mergeMessages(markGap(loaded), [b!]);

    expect(catchUpFrom(afterDrop)).toBe(a!.messageId);
    expect(markGap(afterDrop)).toBe(afterDrop);
    expect(catchUpFrom(applyCatchUp(afterDrop, []))).toBe(b!.messageId);
  });

  it('leaves a timeline never loaded alone: opening it loads the latest page', () => {
    const live = mergeMessages(emptyTimeline(), [message('r1', 'a')]);

    expect(markGap(live)).toBe(live);
  });
});

describe('pending messages', () => {
  it('turns a pending message into a stored one from its ack, once', () => {
    const sending = addPending(emptyTimeline(), pendingFrom('c-1', 'hello'));
    const ack = { clientMessageId: 'c-1', messageId: '01JDB1000000000000000000AA', createdAt: '2026-11-21T10:00:01.000Z' };

    const confirmed = confirmPending(sending, ack);
    const again = mergeMessages(confirmed, [{ ...confirmed.messages[0]!, moderation: 'allowed' }]);

    expect(confirmed.pending).toEqual([]);
    expect(confirmed.messages).toMatchObject([{ messageId: ack.messageId, text: 'hello', senderId: 'u-alice' }]);
    expect(again.messages).toHaveLength(1);
  });

  it('marks a failed message with its reason and sends it again under the same id', () => {
    const failed = failPending(addPending(emptyTimeline(), pendingFrom('c-1', 'hello')), 'c-1', 'Slow down.', true);

    const retried = retryPending(failed, 'c-1');

    expect(failed.pending[0]).toMatchObject({ state: 'failed', error: 'Slow down.', retryable: true });
    expect(retried.pending[0]).toMatchObject({ state: 'sending', clientMessageId: 'c-1' });
    expect(retried.pending[0]).not.toHaveProperty('error');
    expect(retried.pending[0]).not.toHaveProperty('retryable');
  });

  it('keeps a message that failed to send at the time it was written, below older messages and above newer ones', () => {
    const before = message('r1', 'before');
    const written = { ...pendingFrom('c-1', 'too long'), createdAt: new Date(Date.parse(before.createdAt) + 500).toISOString() };
    const after = message('r1', 'after');
    const later = message('r1', 'later');
    let timeline = addPending(mergeMessages(emptyTimeline(), [before]), written);
    timeline = addPending(timeline, { ...pendingFrom('c-2', 'still sending'), createdAt: new Date(Date.parse(later.createdAt) + 1).toISOString() });
    timeline = failPending(timeline, 'c-1', 'The text is 5000 bytes; the limit is 4096.', false);

    const rows = timelineItems(mergeMessages(timeline, [after, later])).map((item) => item.key);

    expect(rows).toEqual([`m:${before.messageId}`, 'p:c-1', `m:${after.messageId}`, `m:${later.messageId}`, 'p:c-2']);
  });

  it('keeps messages still being sent at the bottom, whenever they were written', () => {
    const stored = message('r1', 'stored');
    const early = { ...pendingFrom('c-1', 'queued while offline'), createdAt: '2000-01-01T00:00:00.000Z' };

    const rows = timelineItems(addPending(mergeMessages(emptyTimeline(), [stored]), early)).map((item) => item.key);

    expect(rows).toEqual([`m:${stored.messageId}`, 'p:c-1']);
  });

  it('ignores adding the same pending message twice', () => {
    const once = addPending(emptyTimeline(), pendingFrom('c-1', 'hello'));

    expect(addPending(once, pendingFrom('c-1', 'hello'))).toBe(once);
  });
});

describe('streaming agent replies', () => {
  const agent = { handle: 'helper', displayName: 'Helper' };

  it('assembles chunks by sequence number, out of order and repeated', () => {
    let timeline = emptyTimeline();
    for (const [seq, text] of [[1, 'lo '], [0, 'Hel'], [1, 'lo '], [2, 'there']] as const) {
      timeline = applyAgentDelta(timeline, { replyId: 'R1', agent, text, seq });
    }

    expect(timeline.replies).toHaveLength(1);
    expect(timeline.replies[0]).toMatchObject({ agent: 'Helper', text: 'Hello there' });
  });

  it('replaces the streaming reply with the stored message and ignores late chunks', () => {
    const streaming = applyAgentDelta(emptyTimeline(), { replyId: 'R1', agent, text: 'Hel', seq: 0 });
    const final = message('r1', 'Hello there', { messageId: 'R1', senderType: 'agent', senderName: 'Helper' });

    const done = applyAgentDone(streaming, { replyId: 'R1', message: final, incomplete: true });
    const late = applyAgentDelta(done, { replyId: 'R1', agent, text: 'lo', seq: 1 });

    expect(done.replies).toEqual([]);
    expect(done.messages).toEqual([{ ...final, incomplete: true }]);
    expect(late).toBe(done);
  });

  it('lists stored messages, then streaming replies, then messages being sent', () => {
    const stored = message('r1', 'first');
    let timeline = mergeMessages(emptyTimeline(), [stored]);
    timeline = addPending(timeline, pendingFrom('c-1', 'sending'));
    timeline = applyAgentDelta(timeline, { replyId: 'R9', agent, text: '…', seq: 0 });

    expect(timelineItems(timeline).map((i) => i.key)).toEqual([`m:${stored.messageId}`, 'r:R9', 'p:c-1']);
  });
});
