import { describe, expect, it } from 'vitest';
import { ModelStreamError, ModelUnavailableError } from '../../../../lambdas/domain/agents/errors';
import type { AgentJob } from '../../../../lambdas/domain/agents/job';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import { answerJob, type AnswerJobDeps } from '../../../../lambdas/use-cases/agents/answer-job';
import type { CircuitChange } from '../../../../lambdas/use-cases/agents/model-circuit';
import { FakeClock, FakeRetention } from '../../../support/fakes/chat';
import {
  agentOf,
  FakeAgentMessages,
  FakeAgents,
  FakeAuditLog,
  FakeCircuitStore,
  FakeFeed,
  FakeJobQueue,
  FakeLedger,
  FakeLiveReplies,
  FakeMemory,
  human,
  ScriptedModel,
  type ScriptStep,
} from '../../../support/fakes/agents';

const job: AgentJob = { roomId: 'r1', handle: 'assistant', triggerMessageId: 'M2', reason: 'mention', replyDepth: 1 };
const firstTry = { receiveCount: 1, maxReceiveCount: 3 };
const lastTry = { receiveCount: 3, maxReceiveCount: 3 };
const throttled = () => new ModelUnavailableError('slow down', true, 'ThrottlingException');

/** 40 tokens, one every 10 ms. */
const fortyTokens = (): ScriptStep[] => [
  ...Array.from({ length: 40 }, (_, i) => ({ delta: `w${i} `, afterMs: 10 })),
  { done: { inputTokens: 120, outputTokens: 40 } },
];

function world(scripts: Array<ScriptStep[] | Error>, options: { agent?: Parameters<typeof agentOf>[0]; memory?: FakeMemory } = {}) {
  const clock = new FakeClock();
  const agent = agentOf(options.agent ?? { handle: 'assistant', displayName: 'Ada' });
  const agents = new FakeAgents(agent);
  const messages = new FakeAgentMessages();
  messages.history.push(human('M1', 'Bob', 'morning'), human('M2', 'Alice', '@assistant how are you?'));
  const ledger = new FakeLedger();
  const feed = new FakeFeed(3);
  const jobs = new FakeJobQueue();
  const model = new ScriptedModel(scripts, (ms) => clock.advance(ms));
  const sleeps: number[] = [];
  const memory = options.memory ?? new FakeMemory();
  const audit = new FakeAuditLog();
  const retention = new FakeRetention();
  const deps: AnswerJobDeps = {
    agents,
    messages,
    retention,
    ledger,
    model,
    memory,
    feed,
    jobs,
    audit,
    clock,
    nextId: createIdGenerator(),
    // A macrotask: a model with a token ready always wins the race against
    // the flush timer, as it would against a real 100 ms timer.
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
    random: () => 0.5,
    retry: { attempts: 3, baseMs: 200, maxMs: 2000 },
    coalescing: { minIntervalMs: 100, maxChars: 4000 },
  };
  return { deps, clock, agent, agents, messages, retention, ledger, feed, jobs, model, sleeps, memory, audit };
}

describe('answerJob', () => {
  it('streams a coalesced reply to the room, stores it with its metadata and marks it done', async () => {
    const w = world([fortyTokens()]);

    const outcome = await answerJob(w.deps, job, firstTry);

    const deltas = w.feed.ofType('agentDelta');
    const [done] = w.feed.ofType('agentDone');
    expect(outcome.kind).toBe('replied');
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toBe(Array.from({ length: 40 }, (_, i) => `w${i} `).join(''));
    expect(deltas.length).toBeLessThan(10);
    expect(new Set(deltas.map((d) => d.replyId))).toEqual(new Set([done?.replyId]));
    expect(done?.message).toMatchObject({
      messageId: done?.replyId,
      senderId: 'agent:assistant',
      senderName: 'Ada',
      senderType: 'agent',
      agent: { handle: 'assistant', modelId: 'amazon.nova-lite-v1:0', inputTokens: 120, outputTokens: 40, replyDepth: 1, triggerMessageId: 'M2' },
    });
    // A reply is in a room with an agent: stamped, so another agent it mentions is dispatched.
    expect(w.messages.saved[0]?.agents).toBe(true);
    expect(done?.message.agent.latencyMs).toBe(400);
    expect(w.messages.saved).toEqual([done?.message]);
    expect(w.ledger.usage.get(`r1|assistant|2026-11-21`)).toBe(160);
  });

  it('reports the reply’s latency and tokens, for the operations dashboard', async () => {
    const w = world([fortyTokens()]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toMatchObject({ kind: 'replied', replyMs: 400, inputTokens: 120, outputTokens: 40 });
    expect('firstPostMs' in outcome && outcome.firstPostMs).toBeLessThan(400);
  });

  it('stores the reply with the expiry its room’s retention gives it, counted from the job’s start', async () => {
    const w = world([fortyTokens()]);
    w.retention.days.set('r1', 30);
    const started = w.clock.now();

    await answerJob(w.deps, job, firstTry);

    const [reply] = w.messages.saved;
    expect(w.messages.expiries.get(reply!.messageId)).toBe(started / 1000 + 30 * 86_400);
  });

  it('stores a reply in a room kept forever without expiry', async () => {
    const w = world([fortyTokens()]);

    await answerJob(w.deps, job, firstTry);

    const [reply] = w.messages.saved;
    expect(w.messages.expiries.has(reply!.messageId)).toBe(true);
    expect(w.messages.expiries.get(reply!.messageId)).toBeUndefined();
  });

  it('counts its posts: one per connection per flush, plus the announcement and the final frame', async () => {
    const w = world([fortyTokens()]);

    const outcome = await answerJob(w.deps, job, firstTry);

    const flushes = w.feed.ofType('agentDelta').length;
    expect(outcome).toMatchObject({ deltas: 40, flushes, posts: (flushes + 2) * 3 });
  });

  it('sends the model the history up to the message, labelled, within the agent’s window', async () => {
    const w = world([fortyTokens()], { agent: { handle: 'assistant', historyWindow: 1 } });

    await answerJob(w.deps, job, firstTry);

    const [request] = w.model.requests;
    expect(request?.prompt.turns).toEqual([{ role: 'user', text: '[2026-12-06 14:03] [Alice] @assistant how are you?' }]);
    expect(request).toMatchObject({ modelId: 'amazon.nova-lite-v1:0', temperature: 0.7, maxOutputTokens: 512 });
  });

  it('recalls room memory for agents that use it, leaving out the history it already has', async () => {
    const memory = new FakeMemory({ passages: [{ messageIds: ['M0'], text: 'Alice likes tea.', score: 0.8 }] });
    const w = world([fortyTokens()], { agent: { handle: 'assistant', useMemory: true, retrievalK: 2 }, memory });

    const started = w.clock.now();
    await answerJob(w.deps, job, firstTry);

    // "how are you?" has no content term: the query is widened with Bob's message before it.
    // The present goes along, so "last week" in a question means something to recall.
    expect(memory.calls).toEqual([
      { roomId: 'r1', query: 'morning how are you?', k: 2, exclude: ['M1', 'M2'], excludeSenders: ['agent:assistant'], now: started },
    ]);
    expect(w.model.requests[0]?.prompt.system).toContain('Alice likes tea.');
  });

  it('does not recall memory for agents whose manager turned it off', async () => {
    const w = world([fortyTokens()], { agent: { handle: 'assistant', useMemory: false } });
    await answerJob(w.deps, job, firstTry);
    expect(w.memory.calls).toEqual([]);
  });

  it('sends a notice instead of calling the model once the day’s budget is spent', async () => {
    const w = world([fortyTokens()], { agent: { handle: 'assistant', dailyTokenBudget: 1000 } });
    await w.ledger.add('r1', 'assistant', '2026-11-21', 1000);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toEqual({ kind: 'overBudget', noticed: true });
    expect(w.model.requests).toEqual([]);
    expect(w.feed.ofType('notice')).toEqual([
      expect.objectContaining({ code: 'AGENT_BUDGET_EXHAUSTED', text: expect.stringContaining('@assistant') }),
    ]);
  });

  it('gives the budget notice once a day for unprompted replies', async () => {
    const w = world([], { agent: { handle: 'assistant', dailyTokenBudget: 1000, trigger: { mode: 'everyMessage' } } });
    await w.ledger.add('r1', 'assistant', '2026-11-21', 5000);
    const unprompted: AgentJob = { ...job, reason: 'everyMessage' };

    await answerJob(w.deps, unprompted, firstTry);
    await answerJob(w.deps, unprompted, firstTry);

    expect(w.feed.ofType('notice')).toHaveLength(1);
  });

  it('retries throttling with backoff within the job', async () => {
    const w = world([throttled(), throttled(), fortyTokens()]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toMatchObject({ kind: 'replied', modelCalls: 3 });
    expect(w.sleeps.slice(0, 2)).toEqual([150, 300]);
    expect(w.feed.ofType('notice')).toEqual([]);
  });

  it('fails the job when throttling outlasts its tries, so SQS delivers it again', async () => {
    const w = world([throttled(), throttled(), throttled()]);

    await expect(answerJob(w.deps, job, firstTry)).rejects.toThrow(ModelUnavailableError);
    // Only the announcement that the agent is at work: it will be, when the job comes back.
    expect(w.feed.frames.map((f) => f.frame.type)).toEqual(['agentThinking']);
    expect(w.jobs.dead).toEqual([]);
  });

  it('on the last delivery tells the room once and dead-letters the job with its reason', async () => {
    const w = world([throttled(), throttled(), throttled()]);

    const outcome = await answerJob(w.deps, job, lastTry);

    expect(outcome).toEqual({ kind: 'unavailable', reason: 'ThrottlingException' });
    expect(w.feed.ofType('notice')).toEqual([
      {
        type: 'notice',
        roomId: 'r1',
        code: 'AGENT_UNAVAILABLE',
        text: expect.stringContaining('unavailable'),
        messageId: 'M2',
        agent: { handle: 'assistant', displayName: 'Ada' },
      },
    ]);
    expect(w.jobs.dead).toEqual([
      { job, failure: { reason: 'ThrottlingException', error: 'slow down', attempts: 3 } },
    ]);
  });

  it('gives up at once on errors no retry fixes', async () => {
    const w = world([new ModelUnavailableError('no access', false, 'AccessDeniedException')]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toEqual({ kind: 'unavailable', reason: 'AccessDeniedException' });
    expect(w.model.requests).toHaveLength(1);
    expect(w.jobs.dead).toHaveLength(1);
  });

  it('keeps the partial text of a stream that breaks, marks it incomplete and tells the room', async () => {
    const broken: ScriptStep[] = [
      { delta: 'The answer is ', afterMs: 10 },
      { delta: 'forty', afterMs: 150 },
      { fail: new ModelStreamError('reset', 'modelStreamErrorException') },
    ];
    const w = world([broken]);

    const outcome = await answerJob(w.deps, job, firstTry);

    const [done] = w.feed.ofType('agentDone');
    expect(outcome.kind).toBe('incomplete');
    expect(w.feed.ofType('agentDelta').map((d) => d.text).join('')).toBe('The answer is forty');
    expect(done).toMatchObject({ incomplete: true, message: { text: 'The answer is forty', agent: { incomplete: true } } });
    expect(w.messages.saved).toHaveLength(1);
    expect(w.feed.ofType('notice').map((n) => n.code)).toEqual(['AGENT_REPLY_INCOMPLETE']);
    expect(w.model.requests).toHaveLength(1);
    expect(w.ledger.usage.get('r1|assistant|2026-11-21')).toBeGreaterThan(0);
  });

  it('skips a message it has answered already', async () => {
    const w = world([fortyTokens()]);
    w.messages.replied.add('r1|assistant|M2');

    expect(await answerJob(w.deps, job, firstTry)).toEqual({ kind: 'skipped', why: 'alreadyAnswered' });
    expect(w.model.requests).toEqual([]);
  });

  it('skips jobs of an agent removed since they were queued', async () => {
    const w = world([fortyTokens()]);
    await w.agents.deleteAgent('r1', 'assistant');

    expect(await answerJob(w.deps, job, firstTry)).toEqual({ kind: 'skipped', why: 'agentRemoved' });
  });

  it('skips a message that is no longer readable', async () => {
    const w = world([fortyTokens()]);
    w.messages.history.pop();

    expect(await answerJob(w.deps, job, firstTry)).toEqual({ kind: 'skipped', why: 'messageGone' });
  });

  it('says so when the model returns nothing', async () => {
    const w = world([[{ done: { inputTokens: 50, outputTokens: 0 } }]]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome.kind).toBe('empty');
    expect(w.messages.saved).toEqual([]);
    expect(w.feed.ofType('notice').map((n) => n.code)).toEqual(['AGENT_EMPTY_REPLY']);
  });

  it('stores no reply made only of invisible characters, as people cannot send one', async () => {
    const w = world([[{ delta: '\u200b\u2060 ', afterMs: 10 }, { done: { inputTokens: 50, outputTokens: 2 } }]]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome.kind).toBe('empty');
    expect(w.messages.saved).toEqual([]);
    expect(w.feed.ofType('notice').map((n) => n.code)).toEqual(['AGENT_EMPTY_REPLY']);
  });
});

describe('answerJob audit', () => {
  const key = 'agent-call:r1:assistant:M2';

  it('records the call once the reply is stored: model, tokens, latency and outcome', async () => {
    const w = world([fortyTokens()]);

    await answerJob(w.deps, job, firstTry);

    const [reply] = w.messages.saved;
    expect(w.audit.entries).toEqual([
      {
        roomId: 'r1',
        idempotencyKey: key,
        occurredAt: reply?.createdAt,
        actor: { type: 'agent', id: 'assistant' },
        action: 'agent.called',
        target: { type: 'message', id: 'M2' },
        details: {
          outcome: 'completed',
          modelId: 'amazon.nova-lite-v1:0',
          inputTokens: 120,
          outputTokens: 40,
          latencyMs: 400,
          replyId: reply?.messageId,
          trigger: 'mention',
        },
      },
    ]);
  });

  it('keeps the prompt and the reply out of the record', async () => {
    const w = world([[{ delta: 'swordfish is the word', afterMs: 5 }, { done: { inputTokens: 9, outputTokens: 4 } }]], {
      agent: { handle: 'assistant', systemPrompt: 'Guard the vault keeper passphrase' },
    });

    await answerJob(w.deps, job, firstTry);

    const recorded = JSON.stringify(w.audit.entries);
    expect(w.audit.entries).toHaveLength(1);
    expect(recorded).not.toContain('swordfish');
    expect(recorded).not.toContain('vault');
    expect(recorded).not.toContain('how are you');
  });

  it('records a redelivered job once, under the same key', async () => {
    const w = world([fortyTokens(), fortyTokens()]);

    await answerJob(w.deps, job, firstTry);
    const again = await answerJob(w.deps, job, { receiveCount: 2, maxReceiveCount: 3 });

    expect(again).toEqual({ kind: 'skipped', why: 'alreadyAnswered' });
    expect(w.audit.entries.map((e) => e.idempotencyKey)).toEqual([key]);
  });

  it('fails the job when the record fails, and the redelivery records it without replying twice', async () => {
    const w = world([fortyTokens(), fortyTokens()]);
    w.audit.failures = 1;

    await expect(answerJob(w.deps, job, firstTry)).rejects.toThrow('audit table unavailable');
    const again = await answerJob(w.deps, job, { receiveCount: 2, maxReceiveCount: 3 });

    expect(again).toEqual({ kind: 'skipped', why: 'alreadyAnswered' });
    expect(w.messages.saved).toHaveLength(1);
    expect(w.feed.ofType('agentDone')).toHaveLength(1);
    expect(w.model.requests).toHaveLength(1);
    expect(w.audit.entries).toEqual([
      expect.objectContaining({
        idempotencyKey: key,
        details: expect.objectContaining({ outcome: 'completed', inputTokens: 120, outputTokens: 40, latencyMs: 400 }),
      }),
    ]);
  });

  it('records a broken stream as incomplete', async () => {
    const broken: ScriptStep[] = [{ delta: 'The answer is ', afterMs: 10 }, { fail: new ModelStreamError('reset', 'modelStreamErrorException') }];
    const w = world([broken]);

    await answerJob(w.deps, job, firstTry);

    expect(w.audit.entries.map((e) => e.details?.['outcome'])).toEqual(['incomplete']);
  });

  it('records a refusal over budget, spending no tokens', async () => {
    const w = world([fortyTokens()], { agent: { handle: 'assistant', dailyTokenBudget: 1000 } });
    await w.ledger.add('r1', 'assistant', '2026-11-21', 1000);

    await answerJob(w.deps, job, firstTry);

    expect(w.audit.entries).toEqual([
      expect.objectContaining({
        idempotencyKey: key,
        details: { outcome: 'over-budget', modelId: 'amazon.nova-lite-v1:0', inputTokens: 0, outputTokens: 0, latencyMs: 0, trigger: 'mention' },
      }),
    ]);
  });

  it('records a failed call when it gives up, with the error’s name only', async () => {
    const w = world([throttled(), throttled(), throttled()]);

    await answerJob(w.deps, job, lastTry);

    expect(w.audit.entries).toEqual([
      expect.objectContaining({
        idempotencyKey: key,
        details: expect.objectContaining({ outcome: 'failed', modelId: 'amazon.nova-lite-v1:0', reason: 'ThrottlingException', attempts: 3 }),
      }),
    ]);
    expect(JSON.stringify(w.audit.entries)).not.toContain('slow down');
  });

  it('records nothing for a delivery that will be retried', async () => {
    const w = world([throttled(), throttled(), throttled()]);

    await expect(answerJob(w.deps, job, firstTry)).rejects.toThrow(ModelUnavailableError);

    expect(w.audit.entries).toEqual([]);
  });
});

describe('answerJob, stopped on request', () => {
  it('stops streaming at the next part, keeps what it had, and stores and announces it as stopped', async () => {
    const liveReplies = new FakeLiveReplies();
    // Someone asks to stop before the worker's first look, which comes 500 ms of model time in.
    liveReplies.stopAfterChecks = 1;
    const tokens = Array.from({ length: 80 }, (_, i) => ({ delta: `w${i} `, afterMs: 10 }));
    const v = world([[...tokens, { done: { inputTokens: 120, outputTokens: 80 } }]]);

    const outcome = await answerJob({ ...v.deps, liveReplies }, job, firstTry);

    const [done] = v.feed.ofType('agentDone');
    const streamed = v.feed.ofType('agentDelta').map((d) => d.text).join('');
    expect(outcome.kind).toBe('replied');
    expect(done?.stopped).toBe(true);
    expect(done?.message.agent.stopped).toBe(true);
    // Half a second of 10 ms tokens, then nothing more: far from all 80.
    expect(done?.message.text.split(' ').filter(Boolean).length).toBeLessThan(80);
    expect(done?.message.text.startsWith(streamed)).toBe(true);
    expect(v.messages.saved).toEqual([done?.message]);
    expect(liveReplies.replies.get(`r1|${done?.replyId}`)).toMatchObject({ askedBy: 'u-alice', triggerMessageId: 'M2', done: true });
    expect(v.audit.entries.at(-1)).toMatchObject({ action: 'agent.called', details: { outcome: 'stopped' } });
  });

  it('records who asked before the first part, and marks the reply done once stored, when nobody stops it', async () => {
    const w = world([fortyTokens()]);
    const liveReplies = new FakeLiveReplies();

    await answerJob({ ...w.deps, liveReplies }, job, firstTry);

    const [done] = w.feed.ofType('agentDone');
    expect(done?.stopped).toBeUndefined();
    expect([...liveReplies.replies.values()]).toEqual([
      { roomId: 'r1', replyId: done?.replyId, handle: 'assistant', triggerMessageId: 'M2', askedBy: 'u-alice', done: true },
    ]);
  });
});

describe('answerJob, telling the room what it does about a message', () => {
  it('announces the agent thinking about the message before its first words', async () => {
    const w = world([fortyTokens()]);

    await answerJob(w.deps, job, firstTry);

    const types = w.feed.frames.map((f) => f.frame.type);
    expect(types[0]).toBe('agentThinking');
    expect(w.feed.frames[0]?.frame).toEqual({ type: 'agentThinking', roomId: 'r1', messageId: 'M2', agent: { handle: 'assistant', displayName: 'Ada' } });
    expect(types.filter((t) => t === 'agentThinking')).toHaveLength(1);
  });

  it('names the message and the agent on a notice, so it shows on that message', async () => {
    const w = world([throttled(), throttled(), throttled()]);

    await answerJob(w.deps, job, lastTry);

    expect(w.feed.ofType('notice')).toEqual([
      expect.objectContaining({ code: 'AGENT_UNAVAILABLE', messageId: 'M2', agent: { handle: 'assistant', displayName: 'Ada' } }),
    ]);
  });
});

describe('answerJob, a regenerated answer', () => {
  const second: AgentJob = { ...job, attempt: 2 };

  it('answers a message it answered already as a new message, with the attempt in its keys', async () => {
    const w = world([fortyTokens(), fortyTokens()]);
    await answerJob(w.deps, job, firstTry);

    const outcome = await answerJob(w.deps, second, firstTry);

    expect(outcome.kind).toBe('replied');
    const [first, again] = w.messages.saved;
    expect(again?.messageId).not.toBe(first?.messageId);
    expect(first?.agent.attempt).toBeUndefined();
    expect(again?.agent).toMatchObject({ triggerMessageId: 'M2', attempt: 2 });
    expect(w.audit.entries.map((e) => e.idempotencyKey)).toEqual(['agent-call:r1:assistant:M2', 'agent-call:r1:assistant:M2#2']);
    expect(w.audit.entries[1]?.details).toMatchObject({ outcome: 'completed', attempt: 2 });
  });

  it('skips the same attempt delivered twice, as it does a first answer', async () => {
    const w = world([fortyTokens(), fortyTokens()]);
    await answerJob(w.deps, second, firstTry);

    expect(await answerJob(w.deps, second, firstTry)).toEqual({ kind: 'skipped', why: 'alreadyAnswered' });
    expect(w.messages.saved).toHaveLength(1);
  });

  it('still refuses when the agent’s budget for the day is spent', async () => {
    const w = world([fortyTokens()]);
    await w.ledger.add('r1', 'assistant', '2026-11-21', 10_000_000);

    expect((await answerJob(w.deps, second, firstTry)).kind).toBe('overBudget');
    expect(w.messages.saved).toHaveLength(0);
  });
});

describe('answerJob, with a circuit breaker per model', () => {
  const MODEL = 'amazon.nova-lite-v1:0';
  const breaker = { failures: 2, windowMs: 60_000, coolDownMs: 30_000, probeTimeoutMs: 120_000 };

  function guarded(scripts: Array<ScriptStep[] | Error>) {
    const w = world(scripts);
    const store = new FakeCircuitStore();
    const changes: CircuitChange[] = [];
    const deps: AnswerJobDeps = { ...w.deps, circuit: { store, options: breaker, onChange: (c) => changes.push(c) } };
    return { ...w, deps, store, changes };
  }

  it('fails fast with the unavailable notice while the circuit is open: no model call, no dead letter', async () => {
    const w = guarded([fortyTokens()]);
    w.store.set(MODEL, { state: 'open', openedAt: w.clock.now() - 1_000 });

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toEqual({ kind: 'unavailable', reason: 'circuitOpen', modelCalls: 0 });
    expect(w.model.requests).toEqual([]);
    expect(w.feed.frames.map((f) => f.frame)).toEqual([expect.objectContaining({ type: 'notice', code: 'AGENT_UNAVAILABLE', messageId: 'M2' })]);
    expect(w.jobs.dead).toEqual([]);
    expect(w.sleeps).toEqual([]);
    expect(w.audit.entries).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ outcome: 'failed', modelId: MODEL, reason: 'circuitOpen' }) }),
    ]);
  });

  it('counts a delivery whose tries all failed once, and opens the circuit at the threshold', async () => {
    const w = guarded([throttled(), throttled(), throttled(), throttled(), throttled(), throttled()]);

    await expect(answerJob(w.deps, job, firstTry)).rejects.toThrow(ModelUnavailableError);
    expect(w.store.circuits.get(MODEL)?.circuit).toMatchObject({ state: 'closed', failures: 1 });
    const outcome = await answerJob(w.deps, job, { receiveCount: 2, maxReceiveCount: 3 });

    // The failure that opens the circuit ends the job now, rather than in another delivery.
    expect(outcome).toEqual({ kind: 'unavailable', reason: 'circuitOpen' });
    expect(w.store.stateOf(MODEL)).toBe('open');
    expect(w.changes.map((c) => c.to.state)).toEqual(['closed', 'open']);
    expect(w.feed.ofType('notice').map((n) => n.code)).toEqual(['AGENT_UNAVAILABLE']);
    expect(w.jobs.dead).toEqual([]);
  });

  it('still dead-letters the last delivery with the model’s reason', async () => {
    const w = guarded([throttled(), throttled(), throttled()]);

    const outcome = await answerJob(w.deps, job, lastTry);

    expect(outcome).toEqual({ kind: 'unavailable', reason: 'ThrottlingException' });
    expect(w.jobs.dead).toHaveLength(1);
  });

  it('does not count errors that say nothing about the model’s health', async () => {
    const w = guarded([new ModelUnavailableError('no access', false, 'AccessDeniedException')]);

    await answerJob(w.deps, job, firstTry);

    expect(w.store.writes).toBe(0);
  });

  it('does not count a refusal over budget, nor let it take the probe', async () => {
    const w = guarded([fortyTokens()]);
    w.store.set(MODEL, { state: 'open', openedAt: w.clock.now() - 60_000 });
    w.ledger.usage.set('r1|assistant|2026-11-21', 10_000_000);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome.kind).toBe('overBudget');
    expect(w.store.stateOf(MODEL)).toBe('open');
  });

  it('counts a stream that broke part-way as a failure, keeping what arrived', async () => {
    const broken: ScriptStep[] = [{ delta: 'The answer is ', afterMs: 10 }, { fail: new ModelStreamError('reset', 'modelStreamErrorException') }];
    const w = guarded([broken]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome.kind).toBe('incomplete');
    expect(w.store.circuits.get(MODEL)?.circuit).toMatchObject({ state: 'closed', failures: 1 });
  });

  it('after the cool-down lets one job probe with a single call, and closes the circuit when it answers', async () => {
    const w = guarded([fortyTokens()]);
    w.store.set(MODEL, { state: 'open', openedAt: w.clock.now() - 30_000 });

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome.kind).toBe('replied');
    expect(w.model.requests).toHaveLength(1);
    expect(w.store.stateOf(MODEL)).toBe('closed');
    expect(w.changes.map((c) => `${c.from}→${c.to.state}`)).toEqual(['open→halfOpen', 'halfOpen→closed']);
  });

  it('reopens the circuit when the probe fails, without retrying it or waiting for another delivery', async () => {
    const w = guarded([throttled(), fortyTokens()]);
    w.store.set(MODEL, { state: 'open', openedAt: w.clock.now() - 30_000 });

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toEqual({ kind: 'unavailable', reason: 'circuitOpen' });
    expect(w.model.requests).toHaveLength(1);
    expect(w.sleeps).toEqual([]);
    expect(w.store.stateOf(MODEL)).toBe('open');
    expect(w.feed.ofType('notice').map((n) => n.code)).toEqual(['AGENT_UNAVAILABLE']);
  });

  it('refuses a job while another job probes', async () => {
    const w = guarded([fortyTokens()]);
    w.store.set(MODEL, { state: 'halfOpen', probeStartedAt: w.clock.now() - 1_000 });

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toMatchObject({ kind: 'unavailable', reason: 'circuitOpen' });
    expect(w.model.requests).toEqual([]);
  });

  it('reads the circuit once per job and writes nothing while the model answers', async () => {
    const w = guarded([fortyTokens()]);

    await answerJob(w.deps, job, firstTry);

    expect([w.store.reads, w.store.writes]).toEqual([1, 0]);
  });
});

describe('answerJob, with tools', () => {
  const toolUse = (name: string, input: unknown, toolUseId = `t-${name}`): ScriptStep[] => [
    { toolUse: { toolUseId, name, input } },
    { done: { inputTokens: 100, outputTokens: 10 }, stopReason: 'tool_use' },
  ];
  const answer = (text: string): ScriptStep[] => [{ delta: text, afterMs: 10 }, { done: { inputTokens: 150, outputTokens: 20 } }];
  const withTools = (scripts: Array<ScriptStep[] | Error>, tools: string[] = ['current_time', 'search_room_history'], memory?: FakeMemory) =>
    world(scripts, { agent: { handle: 'assistant', displayName: 'Ada', tools: tools as never }, ...(memory ? { memory } : {}) });

  it('offers only the tools its owners chose, and none by default', async () => {
    const plain = world([fortyTokens()]);
    await answerJob(plain.deps, job, firstTry);
    const chosen = withTools([answer('fine')], ['current_time']);
    await answerJob(chosen.deps, job, firstTry);

    expect(plain.model.requests[0]?.tools).toBeUndefined();
    expect(chosen.model.requests[0]?.tools?.map((t) => t.name)).toEqual(['current_time']);
  });

  it('does not offer document search when no document search is wired', async () => {
    const w = withTools([answer('fine')], ['search_documents', 'current_time']);

    await answerJob(w.deps, job, firstTry);

    expect(w.model.requests[0]?.tools?.map((t) => t.name)).toEqual(['current_time']);
  });

  it('runs the tool the model asks for, shows the room its status, and answers with the result', async () => {
    const w = withTools([toolUse('current_time', {}), answer('It is noon.')]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toMatchObject({ kind: 'replied', modelCalls: 2, toolCalls: 1, inputTokens: 250, outputTokens: 30 });
    expect(w.feed.ofType('agentThinking').map((f) => f.status)).toEqual([undefined, 'checkingTime']);
    const round = w.model.requests[1]?.toolRounds?.[0];
    expect(round?.uses).toEqual([{ toolUseId: 't-current_time', name: 'current_time', input: {} }]);
    expect(round?.results).toEqual([{ toolUseId: 't-current_time', status: 'success', text: expect.stringContaining('2026-11-21T12:00') }]);
    expect(w.messages.saved[0]?.text).toBe('It is noon.');
  });

  it('counts every round’s tokens in the day’s budget', async () => {
    const w = withTools([toolUse('current_time', {}), answer('It is noon.')]);

    await answerJob(w.deps, job, firstTry);

    expect(w.ledger.usage.get('r1|assistant|2026-11-21')).toBe(280);
  });

  it('searches the room’s memory for the model’s query, leaving out what the prompt holds and the agent’s own replies', async () => {
    const memory = new FakeMemory({ passages: [{ messageIds: ['M0'], text: '[2026-11-01 10:00] Bob: launch is on the 9th', score: 1 }] });
    const w = withTools([toolUse('search_room_history', { query: 'launch' }), answer('The 9th.')], ['search_room_history'], memory);

    await answerJob(w.deps, job, firstTry);

    const search = memory.calls.at(-1);
    expect(search).toMatchObject({ roomId: 'r1', query: 'launch', exclude: ['M1', 'M2'], excludeSenders: ['agent:assistant'] });
    expect(w.model.requests[1]?.toolRounds?.[0]?.results[0]).toMatchObject({ status: 'success', text: expect.stringContaining('launch is on the 9th') });
    expect(w.feed.ofType('agentThinking').map((f) => f.status)).toEqual([undefined, 'searchingHistory']);
  });

  it('numbers passages across the reply’s searches and keeps on the reply, and its agentDone, the citations its text uses', async () => {
    const hits = [
      { documentId: 'd1', version: 2, name: 'Handbook', section: 'Warranty', chunk: 3, text: 'Two years.', score: 2 },
      { documentId: 'd2', version: 1, name: 'Policy', section: 'Returns', chunk: 0, text: 'Thirty days.', score: 1 },
    ];
    const w = withTools([toolUse('search_documents', { query: 'warranty' }, 't1'), toolUse('search_documents', { query: 'returns' }, 't2'), answer('Two years [1], returns within thirty days [4].')], ['search_documents']);
    // Each search finds other passages: the second one's are [3] and [4].
    let searches = 0;
    const search = async () => {
      const offset = 10 * searches++;
      return hits.map((hit) => ({ ...hit, chunk: hit.chunk + offset }));
    };
    const deps = { ...w.deps, documents: { search } };

    await answerJob(deps, job, firstTry);

    expect(w.model.requests[2]?.toolRounds?.map((r) => r.results[0]?.text.match(/^\[\d\]/gmu))).toEqual([['[1]', '[2]'], ['[3]', '[4]']]);
    const expected = [
      { n: 1, documentId: 'd1', version: 2, chunk: 3, name: 'Handbook', section: 'Warranty' },
      { n: 4, documentId: 'd2', version: 1, chunk: 10, name: 'Policy', section: 'Returns' },
    ];
    expect(w.messages.saved[0]?.citations).toEqual(expected);
    expect(w.feed.ofType('agentDone')[0]?.message.citations).toEqual(expected);
  });

  it('carries no citations on a reply that cites nothing', async () => {
    const hits = [{ documentId: 'd1', version: 2, name: 'Handbook', section: 'Warranty', chunk: 3, text: 'Two years.', score: 2 }];
    const w = withTools([toolUse('search_documents', { query: 'warranty' }), answer('I am not sure.')], ['search_documents']);

    await answerJob({ ...w.deps, documents: { search: async () => hits } }, job, firstTry);

    expect(w.messages.saved[0]).not.toHaveProperty('citations');
  });

  it('answers a malformed tool call with an error result the model reads, not a failed job', async () => {
    const w = withTools([toolUse('search_room_history', { query: 7 }), answer('Sorry.')]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome.kind).toBe('replied');
    expect(w.model.requests[1]?.toolRounds?.[0]?.results[0]).toMatchObject({ status: 'error', text: expect.stringContaining('Invalid input') });
    expect(w.audit.entries.find((e) => e.action === 'agent.toolCalled')?.details).toMatchObject({ tool: 'search_room_history', outcome: 'invalidInput' });
  });

  it('answers a call to a tool it was not given with an error result', async () => {
    const w = withTools([toolUse('search_documents', { query: 'x' }), answer('I cannot.')], ['current_time']);

    await answerJob(w.deps, job, firstTry);

    expect(w.model.requests[1]?.toolRounds?.[0]?.results[0]).toMatchObject({ status: 'error' });
    expect(w.feed.ofType('agentThinking').map((f) => f.status)).toEqual([undefined]);
  });

  it('turns a failing tool into an error result and records it failed', async () => {
    const memory = new FakeMemory();
    let recalls = 0;
    // The prompt's recall works; the tool's search fails.
    memory.recall = async () => {
      recalls += 1;
      if (recalls > 1) throw new Error('memory table unavailable: secret text');
      return { passages: [] };
    };
    const w = withTools([toolUse('search_room_history', { query: 'x' }), answer('Sorry.')], ['search_room_history'], memory);

    await answerJob(w.deps, job, firstTry);

    const result = w.model.requests[1]?.toolRounds?.[0]?.results[0];
    expect(result).toMatchObject({ status: 'error' });
    expect(result?.text).not.toContain('secret');
    expect(w.audit.entries.find((e) => e.action === 'agent.toolCalled')?.details).toMatchObject({ outcome: 'failed' });
  });

  it('audits each call by tool, duration and outcome, never its input or result', async () => {
    const w = withTools([toolUse('search_room_history', { query: 'private plans' }), answer('Done.')]);

    await answerJob(w.deps, job, firstTry);

    const entry = w.audit.entries.find((e) => e.action === 'agent.toolCalled');
    expect(entry).toMatchObject({
      roomId: 'r1',
      idempotencyKey: 'agent-tool:r1:assistant:M2:1:0',
      actor: { type: 'agent', id: 'assistant' },
      target: { type: 'message', id: 'M2' },
      details: { tool: 'search_room_history', outcome: 'ok', durationMs: 0, round: 1 },
    });
    expect(JSON.stringify(w.audit.entries)).not.toContain('private plans');
  });

  it('runs at most three rounds, then tells the model to answer with what it has', async () => {
    const w = withTools([
      toolUse('current_time', {}, 'a'),
      toolUse('current_time', {}, 'b'),
      toolUse('current_time', {}, 'c'),
      toolUse('current_time', {}, 'd'),
      answer('Enough.'),
    ]);

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toMatchObject({ kind: 'replied', modelCalls: 5, toolCalls: 4 });
    const rounds = w.model.requests[4]?.toolRounds ?? [];
    expect(rounds.map((r) => r.results[0]?.status)).toEqual(['success', 'success', 'success', 'error']);
    expect(rounds[3]?.results[0]?.text).toContain('No more tool calls');
    expect(w.audit.entries.filter((e) => e.action === 'agent.toolCalled').map((e) => e.details?.['outcome'])).toEqual(['ok', 'ok', 'ok', 'limitReached']);
  });

  it('stops asking the model once it keeps calling tools past the bounds', async () => {
    const w = withTools(Array.from({ length: 6 }, (_, i) => toolUse('current_time', {}, `t${i}`)));

    const outcome = await answerJob(w.deps, job, firstTry);

    expect(outcome).toMatchObject({ modelCalls: 5 });
    expect(w.model.requests).toHaveLength(5);
  });

  it('stops running tools when the next call would pass the day’s budget', async () => {
    const w = withTools([toolUse('current_time', {}), answer('Noon.')]);
    const budget = w.agent.dailyTokenBudget;
    w.ledger.usage.set('r1|assistant|2026-11-21', budget - 200);

    await answerJob(w.deps, job, firstTry);

    expect(w.model.requests[1]?.toolRounds?.[0]?.results[0]?.text).toContain('No more tool calls');
  });
});
