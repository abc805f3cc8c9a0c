import { describe, expect, it } from 'vitest';
import { decideReplies, mentionedHandles, type DispatchedMessage } from '../../../../lambdas/domain/agents/triggers';
import { agentOf } from '../../../support/fakes/agents';

const fromAlice = (text: string): DispatchedMessage => ({
  roomId: 'r1',
  messageId: 'M1',
  senderId: 'u-alice',
  senderType: 'human',
  text,
});
const fromAgent = (handle: string, text: string, replyDepth: number): DispatchedMessage => ({
  roomId: 'r1',
  messageId: 'M2',
  senderId: `agent:${handle}`,
  senderType: 'agent',
  agentHandle: handle,
  replyDepth,
  text,
});
const never = () => 0.999;
const always = () => 0;

describe('mentionedHandles', () => {
  it('finds handles at the start, after spaces and punctuation, case-insensitively', () => {
    expect(mentionedHandles('@Assistant hi, (@research-bot) and @helper_2!')).toEqual(
      new Set(['assistant', 'research-bot', 'helper_2']),
    );
  });

  it('ignores e-mail addresses and a bare @', () => {
    expect(mentionedHandles('mail bob@assistant.io or @ me')).toEqual(new Set());
  });

  it('drops trailing dashes from a handle', () => {
    expect(mentionedHandles('ask @assistant-- now')).toEqual(new Set(['assistant']));
  });
});

describe('decideReplies', () => {
  const assistant = agentOf({ handle: '@assistant' });
  const chatty = agentOf({ handle: 'chatty', trigger: { mode: 'everyMessage' } });
  const muse = agentOf({ handle: 'muse', trigger: { mode: 'ambient', probability: 0.5, minQuietSeconds: 60 } });

  it('answers a person who mentions an agent, at depth 1', () => {
    const { replies } = decideReplies(fromAlice('@assistant what time is it?'), [assistant], { random: never });
    expect(replies).toEqual([{ agent: assistant, reason: 'mention', replyDepth: 1 }]);
  });

  it('answers an integration’s message (posted with an API key) as it does a person’s', () => {
    const { replies } = decideReplies({ ...fromAlice('@assistant build 42 failed, why?'), senderId: 'k-ci', senderType: 'integration' }, [assistant], {
      random: never,
    });
    expect(replies).toEqual([{ agent: assistant, reason: 'mention', replyDepth: 1 }]);
  });

  it('answers from the mentions stored on the message rather than its text', () => {
    const scout = agentOf({ handle: 'scout' });
    const stored = { ...fromAlice('hi @scout'), mentions: [{ kind: 'member' as const, id: 'u-scout' }] };

    expect(decideReplies(stored, [scout], { random: never }).replies).toEqual([]);
    expect(
      decideReplies({ ...fromAlice('hi'), mentions: [{ kind: 'agent', id: 'scout' }] }, [scout], { random: never }).replies,
    ).toEqual([expect.objectContaining({ reason: 'mention' })]);
  });

  it('stays quiet when a mention-only agent is not mentioned', () => {
    expect(decideReplies(fromAlice('hello all'), [assistant], { random: never })).toEqual({ replies: [] });
  });

  it('answers every message for an everyMessage agent, as a mention when mentioned', () => {
    expect(decideReplies(fromAlice('hello'), [chatty], { random: never }).replies[0]?.reason).toBe('everyMessage');
    expect(decideReplies(fromAlice('hi @chatty'), [chatty], { random: never }).replies[0]?.reason).toBe('mention');
  });

  it('offers an ambient agent the floor only when its draw falls under its probability', () => {
    expect(decideReplies(fromAlice('what a day'), [muse], { random: never }).ambient).toBeUndefined();
    expect(decideReplies(fromAlice('what a day'), [muse], { random: always }).ambient).toEqual({
      agent: muse,
      reason: 'ambient',
      replyDepth: 1,
    });
  });

  it('lets no ambient agent chime in when another agent already answers', () => {
    const decisions = decideReplies(fromAlice('@assistant help'), [assistant, muse], { random: always });
    expect(decisions.replies.map((r) => r.agent.handle)).toEqual(['assistant']);
    expect(decisions.ambient).toBeUndefined();
  });

  it('offers at most one ambient agent the floor', () => {
    const other = agentOf({ handle: 'sage', trigger: { mode: 'ambient', probability: 1 } });
    const decisions = decideReplies(fromAlice('anyone?'), [muse, other], { random: always });
    expect(decisions.replies).toEqual([]);
    expect(decisions.ambient?.agent.handle).toBe('muse');
  });

  it('has no agent answer another agent by default, even when mentioned, so a question gets one answer per agent', () => {
    const decisions = decideReplies(fromAgent('assistant', '@muse, over to you. @chatty?', 1), [assistant, chatty, muse], {
      random: always,
    });

    expect(decisions).toEqual({ replies: [] });
  });

  it('has agents that answer agents answer an agent only when mentioned, one level deeper', () => {
    const talkative = [assistant, chatty, muse].map((agent) => ({ ...agent, answersAgents: true }));
    const decisions = decideReplies(fromAgent('assistant', '@muse, over to you. @chatty?', 1), talkative, {
      random: always,
    });
    expect(decisions.replies.map((r) => [r.agent.handle, r.reason, r.replyDepth])).toEqual([
      ['chatty', 'mention', 2],
      ['muse', 'mention', 2],
    ]);
    expect(decisions.ambient).toBeUndefined();
  });

  it('never has an agent answer itself', () => {
    expect(decideReplies(fromAgent('assistant', 'as @assistant I say', 1), [{ ...assistant, answersAgents: true }], { random: always })).toEqual({
      replies: [],
    });
  });

  it('stops a chain of agent replies at the maximum depth', () => {
    const agents = [assistant, { ...muse, answersAgents: true }];
    const below = decideReplies(fromAgent('assistant', '@muse?', 2), agents, { random: always, maxReplyDepth: 3 });
    const at = decideReplies(fromAgent('assistant', '@muse?', 3), agents, { random: always, maxReplyDepth: 3 });
    expect(below.replies).toHaveLength(1);
    expect(at.replies).toEqual([]);
  });

  it('answers nothing from the system', () => {
    const system: DispatchedMessage = { ...fromAlice('@assistant'), senderType: 'system' };
    expect(decideReplies(system, [assistant], { random: always })).toEqual({ replies: [] });
  });
});
