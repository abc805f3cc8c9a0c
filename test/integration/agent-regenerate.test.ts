import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley } from '../support/local-parley';

/**
 * Regenerating an agent's reply through Parley's front door: the local
 * runtime with its offline model, over WebSockets. The person who asked
 * gets a second and a third answer from the same agent to the same
 * message; each arrives as a new agent message and the earlier ones stay.
 */
describe('regenerating an agent’s reply on the local runtime', { timeout: 90_000 }, () => {
  let parley: LocalParleyProcess;

  interface AgentMessage {
    messageId: string;
    senderId: string;
    text: string;
    agent: { handle: string; triggerMessageId: string; attempt?: number };
  }
  const doneIn = (roomId: string) => (f: Frame) => f.type === 'agentDone' && f['roomId'] === roomId;
  const messageOf = (frame: Frame) => frame['message'] as AgentMessage;

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('answers the same message again as a new agent message, up to the cap, for the person who asked only', async () => {
    const alice = await parley.connect('alice');
    const bob = await parley.connect('bob');
    const carol = await parley.connect('carol');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'regenerate' });
    const roomId = room.roomId;
    await bob.ok('joinRoom', { roomId });
    await carol.ok('joinRoom', { roomId });
    await alice.ok('addAgent', { roomId, agent: { handle: '@guide', displayName: 'Ada' } });

    const sent = await bob.ok<{ messageId: string }>('sendMessage', { roomId, text: '@guide what is the plan?', clientMessageId: 'm1' });
    const first = messageOf(await bob.waitFor(doneIn(roomId), 20_000));

    const refused = await carol.request('regenerateAgentReply', { roomId, messageId: first.messageId });
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(await bob.request('regenerateAgentReply', { roomId, messageId: 'no-such-reply' })).toMatchObject({
      type: 'error',
      code: 'NOT_FOUND',
    });

    const asked = await bob.ok<{ attempt: number; triggerMessageId: string }>('regenerateAgentReply', { roomId, messageId: first.messageId });
    expect(asked).toMatchObject({ attempt: 2, triggerMessageId: sent.messageId });
    // Until the second answer is stored, asking again is a conflict.
    const again = await alice.request('regenerateAgentReply', { roomId, messageId: first.messageId });
    const second = messageOf((await alice.waitForCount(doneIn(roomId), 2, 20_000))[1]!);
    if (again.type === 'error') expect(again['code']).toBe('CONFLICT');

    expect(second.messageId).not.toBe(first.messageId);
    expect(second).toMatchObject({ senderId: 'agent:guide', agent: { handle: 'guide', triggerMessageId: sent.messageId, attempt: 2 } });
    expect(first.agent.attempt).toBeUndefined();

    // The owner may ask too; the third answer is the last.
    if (again.type === 'ack') await alice.waitForCount(doneIn(roomId), 3, 20_000);
    else {
      expect(await alice.ok('regenerateAgentReply', { roomId, messageId: second.messageId })).toMatchObject({ attempt: 3 });
      await alice.waitForCount(doneIn(roomId), 3, 20_000);
    }
    expect(await bob.request('regenerateAgentReply', { roomId, messageId: first.messageId })).toMatchObject({
      type: 'error',
      code: 'CONFLICT',
    });

    const history = await bob.ok<{ items: AgentMessage[] }>('getHistory', { roomId });
    expect(history.items.map((m) => m.messageId)).toEqual(expect.arrayContaining([first.messageId, second.messageId]));
  });
});
