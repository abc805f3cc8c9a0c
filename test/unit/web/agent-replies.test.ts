import { describe, expect, it } from 'vitest';
import { agentAnswering, agentNoticed, agentThinking, copied, copyFailed, marksSignature, NO_MARKS, stopAsked, stopRefused } from '../../../web/src/agent-replies';
import { presentItem } from '../../../web/src/present';
import type { ChatMessage } from '../../../web/src/protocol';
import { applyAgentDone, emptyTimeline, updateMessage } from '../../../web/src/timeline';

describe('agent reply marks', () => {
  it('shows a reply stopping once Stop is pressed', () => {
    const marks = stopAsked(NO_MARKS, 'R1');

    expect(marks.stopping.has('R1')).toBe(true);
    expect(marksSignature(marks, 'R1')).not.toBe(marksSignature(NO_MARKS, 'R1'));
    expect(marksSignature(marks, 'R2')).toBe(marksSignature(NO_MARKS, 'R2'));
  });

  it('shows a refused stop on the reply it concerns, and lets Stop be pressed again', () => {
    const marks = stopRefused(stopAsked(NO_MARKS, 'R1'), 'R1', 'This reply is already complete.');

    expect(marks.stopping.has('R1')).toBe(false);
    expect(marks.errors.get('R1')).toBe('This reply is already complete.');
    expect(marks.errors.has('R2')).toBe(false);
    expect(stopAsked(marks, 'R1').errors.has('R1')).toBe(false);
  });

  it('says which reply was copied last, and a copy that failed on its reply', () => {
    const marks = copied(copied(NO_MARKS, 'R1'), 'R2');

    expect(marks.copied).toBe('R2');
    expect(marksSignature(marks, 'R1')).toBe(marksSignature(NO_MARKS, 'R1'));
    expect(copyFailed(NO_MARKS, 'R3', 'Could not copy').errors.get('R3')).toBe('Could not copy');
  });

  it('leaves the marks it was given unchanged', () => {
    stopAsked(NO_MARKS, 'R1');

    expect(NO_MARKS.stopping.size).toBe(0);
  });
});

describe('a stopped agent reply in the timeline', () => {
  it('stays marked stopped when moderation’s update, which lacks the reply’s facts, replaces it', () => {
    const reply: ChatMessage = {
      roomId: 'r1',
      messageId: 'R1',
      senderId: 'agent:guide',
      senderName: 'Guide',
      senderType: 'agent',
      text: 'The first half',
      createdAt: '2026-12-06T12:00:00.000Z',
      moderation: 'pending',
      agent: { handle: 'guide', stopped: true },
    };
    const done = applyAgentDone(emptyTimeline(), { replyId: 'R1', message: reply });
    const { agent: _facts, ...withoutFacts } = reply;

    const moderated = updateMessage(done, { ...withoutFacts, moderation: 'allowed' });

    expect(moderated.messages[0]).toMatchObject({ moderation: 'allowed', agent: { stopped: true } });
    expect(presentItem({ kind: 'message', key: 'm:R1', message: moderated.messages[0]! }, { userId: 'u-hal', moderator: false }, new Date()).badges).toContain('stopped');
  });
});

describe('agents thinking about a message', () => {
  const guide = { handle: 'guide', displayName: 'Guide' };
  const scout = { handle: 'scout', displayName: 'Scout' };

  it('shows an agent thinking on the message it took, until its first words', () => {
    const thinking = agentThinking(agentThinking(emptyTimeline(), { messageId: 'M1', agent: guide }), { messageId: 'M1', agent: scout });

    expect(thinking.thinking?.get('M1')).toEqual([
      { handle: 'guide', name: 'Guide' },
      { handle: 'scout', name: 'Scout' },
    ]);
    expect(agentAnswering(thinking, guide).thinking?.get('M1')).toEqual([{ handle: 'scout', name: 'Scout' }]);
    expect(agentAnswering(agentAnswering(thinking, guide), 'scout').thinking?.has('M1')).toBe(false);
  });

  it('ignores the same announcement twice', () => {
    const once = agentThinking(emptyTimeline(), { messageId: 'M1', agent: guide });

    expect(agentThinking(once, { messageId: 'M1', agent: guide })).toBe(once);
  });

  it('shows what an agent does while it uses a tool, and thinking again after', () => {
    const thinking = agentThinking(emptyTimeline(), { messageId: 'M1', agent: guide });

    const searching = agentThinking(thinking, { messageId: 'M1', agent: guide, status: 'searchingHistory' });
    const again = agentThinking(searching, { messageId: 'M1', agent: guide });

    expect(searching.thinking?.get('M1')).toEqual([{ handle: 'guide', name: expect.any(String), status: 'searchingHistory' }]);
    expect(agentThinking(searching, { messageId: 'M1', agent: guide, status: 'searchingHistory' })).toBe(searching);
    expect(again.thinking?.get('M1')).toEqual([{ handle: 'guide', name: expect.any(String) }]);
  });

  it('replaces thinking with the agent’s notice on the message it concerns', () => {
    const thinking = agentThinking(emptyTimeline(), { messageId: 'M1', agent: guide });

    const noticed = agentNoticed(thinking, { messageId: 'M1', agent: guide, text: '@guide is unavailable right now.' });

    expect(noticed.thinking?.has('M1')).toBe(false);
    expect(noticed.agentNotes?.get('M1')).toEqual(['@guide is unavailable right now.']);
  });
});
