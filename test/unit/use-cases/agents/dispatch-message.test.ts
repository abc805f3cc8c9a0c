import { describe, expect, it } from 'vitest';
import type { DispatchedMessage } from '../../../../lambdas/domain/agents/triggers';
import { dispatchMessage, type DispatchMessageDeps } from '../../../../lambdas/use-cases/agents/dispatch-message';
import { FakeClock } from '../../../support/fakes/chat';
import { agentOf, FakeAgents, FakeFloor, FakeJobQueue } from '../../../support/fakes/agents';

const message = (messageId: string, text: string): DispatchedMessage => ({
  roomId: 'r1',
  messageId,
  senderId: 'u-alice',
  senderType: 'human',
  text,
});

function world(...agents: ReturnType<typeof agentOf>[]) {
  const clock = new FakeClock();
  const jobs = new FakeJobQueue();
  const floor = new FakeFloor();
  const deps: DispatchMessageDeps = { agents: new FakeAgents(...agents), floor, jobs, clock, random: () => 0 };
  return { deps, jobs, floor, clock };
}

describe('dispatchMessage', () => {
  it('enqueues one job per agent that answers', async () => {
    const w = world(agentOf({ handle: 'assistant' }), agentOf({ handle: 'critic' }), agentOf({ handle: 'idle' }));

    const jobs = await dispatchMessage(w.deps, message('M1', '@assistant and @critic, thoughts?'));

    expect(jobs).toEqual([
      { roomId: 'r1', handle: 'assistant', triggerMessageId: 'M1', reason: 'mention', replyDepth: 1 },
      { roomId: 'r1', handle: 'critic', triggerMessageId: 'M1', reason: 'mention', replyDepth: 1 },
    ]);
    expect(w.jobs.enqueued).toEqual(jobs);
  });

  it('enqueues nothing in a room without agents', async () => {
    const w = world();
    expect(await dispatchMessage(w.deps, message('M1', '@assistant?'))).toEqual([]);
    expect(w.jobs.enqueued).toEqual([]);
  });

  it('lets an ambient agent speak only while it can take the floor, once per quiet interval', async () => {
    const muse = agentOf({ handle: 'muse', trigger: { mode: 'ambient', probability: 1, minQuietSeconds: 60 } });
    const w = world(muse);

    const first = await dispatchMessage(w.deps, message('M1', 'nice weather'));
    w.clock.advance(30_000);
    const tooSoon = await dispatchMessage(w.deps, message('M2', 'indeed'));
    w.clock.advance(31_000);
    const later = await dispatchMessage(w.deps, message('M3', 'rain tomorrow'));

    expect(first.map((j) => j.reason)).toEqual(['ambient']);
    expect(tooSoon).toEqual([]);
    expect(later.map((j) => j.triggerMessageId)).toEqual(['M3']);
  });

  it('keeps a second ambient agent quiet while the first holds the floor', async () => {
    const muse = agentOf({ handle: 'muse', trigger: { mode: 'ambient', probability: 1, minQuietSeconds: 60 } });
    const w = world(muse);
    w.floor.holder = { handle: 'sage', messageId: 'M0', untilMs: w.clock.now() + 10_000 };

    expect(await dispatchMessage(w.deps, message('M1', 'hmm'))).toEqual([]);
  });

  it('takes the floor again for the same message when a dispatch is retried', async () => {
    const muse = agentOf({ handle: 'muse', trigger: { mode: 'ambient', probability: 1, minQuietSeconds: 60 } });
    const w = world(muse);

    await dispatchMessage(w.deps, message('M1', 'hmm'));
    const retried = await dispatchMessage(w.deps, message('M1', 'hmm'));

    expect(retried.map((j) => j.handle)).toEqual(['muse']);
  });
});
