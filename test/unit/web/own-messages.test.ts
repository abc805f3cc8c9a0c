import { describe, expect, it } from 'vitest';
import { isStaleEdit, mentionsReader, ownMessageControls } from '../../../web/src/own-messages';
import type { ChatMessage } from '../../../web/src/protocol';
import { emptyTimeline, mergeMessages, updateMessage } from '../../../web/src/timeline';

const mine: ChatMessage = {
  roomId: 'r1',
  messageId: '01KA0000000000000000000001',
  senderId: 'u-me',
  senderName: 'Me',
  senderType: 'human',
  text: 'helo',
  createdAt: '2026-12-01T10:00:00.000Z',
  moderation: 'allowed',
};

/** A minute after `mine` was sent, with Parley's default window of 15 minutes. */
const soon = { editWindowSeconds: 900, nowMs: Date.parse('2026-12-01T10:01:00.000Z') };

describe('ownMessageControls', () => {
  it('offers edit and delete on the reader’s own readable message', () => {
    expect(ownMessageControls(mine, 'u-me', soon)).toEqual({ canEdit: true, canDelete: true });
    expect(ownMessageControls({ ...mine, moderation: 'redacted' }, 'u-me', soon).canEdit).toBe(true);
  });

  it('offers nothing on someone else’s message or an agent’s reply', () => {
    expect(ownMessageControls(mine, 'u-other', soon)).toEqual({ canEdit: false, canDelete: false });
    expect(ownMessageControls({ ...mine, senderType: 'agent' }, 'u-me', soon)).toEqual({ canEdit: false, canDelete: false });
  });

  it('offers only delete on a withheld message, whose text stays until a moderator acts', () => {
    for (const patch of [{ moderation: 'quarantined' as const }, { moderation: 'blocked' as const }, { hidden: { by: 'u-mod', at: '' } }]) {
      expect(ownMessageControls({ ...mine, ...patch }, 'u-me', soon)).toEqual({ canEdit: false, canDelete: true });
    }
  });

  it('offers only delete once the deployment’s edit window has passed, as Parley would refuse the edit', () => {
    const atTheEdge = { editWindowSeconds: 900, nowMs: Date.parse('2026-12-01T10:15:00.000Z') };
    const after = { editWindowSeconds: 900, nowMs: Date.parse('2026-12-01T10:15:00.001Z') };
    const noEditing = { editWindowSeconds: 0, nowMs: Date.parse('2026-12-01T10:00:01.000Z') };

    expect(ownMessageControls(mine, 'u-me', atTheEdge).canEdit).toBe(true);
    expect(ownMessageControls(mine, 'u-me', after)).toEqual({ canEdit: false, canDelete: true });
    expect(ownMessageControls(mine, 'u-me', noEditing)).toEqual({ canEdit: false, canDelete: true });
  });
});

describe('mentionsReader', () => {
  it('reads the mentions Parley stored, not the text', () => {
    expect(mentionsReader({ ...mine, text: 'hi', mentions: [{ kind: 'member', id: 'u-you' }] }, 'u-you')).toBe(true);
    expect(mentionsReader({ ...mine, text: 'hi @you' }, 'u-you')).toBe(false);
    expect(mentionsReader({ ...mine, mentions: [{ kind: 'agent', id: 'u-you' }] }, 'u-you')).toBe(false);
  });
});

describe('edits in the timeline', () => {
  const edited = { ...mine, text: 'hello', editedAt: '2026-12-01T10:01:00.000Z' };

  it('replaces a message with its edit', () => {
    const timeline = updateMessage(mergeMessages(emptyTimeline(), [mine]), edited);

    expect(timeline.messages).toEqual([edited]);
  });

  it('keeps an edit when an older copy arrives afterwards (a history page read before it)', () => {
    const timeline = mergeMessages(mergeMessages(emptyTimeline(), [edited]), [mine]);

    expect(timeline.messages[0]?.text).toBe('hello');
    expect(isStaleEdit(edited, mine)).toBe(true);
    expect(isStaleEdit(edited, { ...edited, editedAt: '2026-12-01T10:02:00.000Z' })).toBe(false);
  });
});
