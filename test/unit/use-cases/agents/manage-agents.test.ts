import { describe, expect, it } from 'vitest';
import { agentRequestSchemas } from '../../../../lambdas/domain/agents/protocol';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { PAGE_BUDGET_BYTES, utf8Bytes } from '../../../../lambdas/domain/frame-budget';
import {
  addAgent,
  listAgents,
  removeAgent,
  updateAgent,
  type ManageAgentsDeps,
} from '../../../../lambdas/use-cases/agents/manage-agents';
import { alice, bob, carol, FakeClock, FakeRooms } from '../../../support/fakes/chat';
import { FakeAgents, FakeAuditLog, FakeFeed } from '../../../support/fakes/agents';

async function world(allowed: string[] = [], defaultModelId?: string) {
  const rooms = new FakeRooms();
  const clock = new FakeClock();
  const created = new Date(clock.now()).toISOString();
  await rooms.createRoom(
    { roomId: 'r1', name: 'lobby', visibility: 'public', ownerId: alice.userId, createdAt: created },
    { roomId: 'r1', userId: alice.userId, displayName: 'Alice', role: 'owner', joinedAt: created },
  );
  await rooms.putMembership({ roomId: 'r1', userId: bob.userId, displayName: 'Bob', role: 'member', joinedAt: created });
  const agents = new FakeAgents();
  const feed = new FakeFeed();
  const audit = new FakeAuditLog();
  const deps: ManageAgentsDeps = {
    rooms,
    agents,
    feed,
    clock,
    audit,
    allowedModelIds: new Set(allowed),
    ...(defaultModelId === undefined ? {} : { defaultModelId }),
  };
  return { deps, agents, feed, clock, audit };
}

const add = (settings: Record<string, unknown>) => agentRequestSchemas.addAgent.parse({ roomId: 'r1', agent: settings });

describe('addAgent', () => {
  it('adds an agent with defaults and tells the room', async () => {
    const w = await world();

    const { agent } = await addAgent(w.deps, alice, add({ handle: '@Assistant' }));

    expect(agent).toMatchObject({ roomId: 'r1', handle: 'assistant', displayName: 'Assistant', createdBy: alice.userId });
    expect(await w.agents.getAgent('r1', 'assistant')).toEqual(agent);
    expect(w.feed.ofType('agentChanged')).toEqual([
      { type: 'agentChanged', roomId: 'r1', change: 'added', agent: { handle: 'assistant', displayName: 'Assistant' }, by: alice.userId },
    ]);
  });

  it('is for owners and moderators only', async () => {
    const w = await world();
    await expect(addAgent(w.deps, bob, add({ handle: 'assistant' }))).rejects.toThrow(PermissionError);
  });

  it('refuses a handle the room already has', async () => {
    const w = await world();
    await addAgent(w.deps, alice, add({ handle: 'assistant' }));
    await expect(addAgent(w.deps, alice, add({ handle: '@ASSISTANT' }))).rejects.toThrow(ConflictError);
  });

  it('gives an agent the default model of the deployment when its manager names none', async () => {
    const w = await world(['eu.amazon.nova-pro-v1:0', 'amazon.nova-lite-v1:0'], 'eu.amazon.nova-pro-v1:0');

    const { agent } = await addAgent(w.deps, alice, add({ handle: 'assistant' }));

    expect(agent.modelId).toBe('eu.amazon.nova-pro-v1:0');
  });

  it('accepts only the models enabled for the deployment', async () => {
    const w = await world(['amazon.nova-lite-v1:0']);
    await expect(addAgent(w.deps, alice, add({ handle: 'a', modelId: 'anthropic.claude-opus' }))).rejects.toThrow(ValidationError);
    await expect(addAgent(w.deps, alice, add({ handle: 'b' }))).resolves.toBeDefined();
  });

  it('rejects non-members as if the room did not exist when it is private', async () => {
    const w = await world();
    await expect(addAgent(w.deps, carol, agentRequestSchemas.addAgent.parse({ roomId: 'nope', agent: { handle: 'x' } }))).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe('updateAgent', () => {
  it('changes the given settings, keeps the others and validates the result', async () => {
    const w = await world();
    const { agent: before } = await addAgent(w.deps, alice, add({ handle: 'assistant', temperature: 0.2 }));
    w.clock.advance(1000);

    const { agent } = await updateAgent(
      w.deps,
      alice,
      agentRequestSchemas.updateAgent.parse({ roomId: 'r1', handle: '@assistant', changes: { trigger: { mode: 'ambient' } } }),
    );

    expect(agent).toMatchObject({ temperature: 0.2, trigger: { mode: 'ambient', probability: 0.2, minQuietSeconds: 300 } });
    expect(agent.createdAt).toBe(before.createdAt);
    expect(agent.updatedAt).not.toBe(before.updatedAt);
    expect(w.feed.ofType('agentChanged').map((f) => f.change)).toEqual(['added', 'updated']);
  });

  it('reports an agent that does not exist', async () => {
    const w = await world();
    const request = agentRequestSchemas.updateAgent.parse({ roomId: 'r1', handle: 'ghost', changes: {} });
    await expect(updateAgent(w.deps, alice, request)).rejects.toThrow(NotFoundError);
  });
});

describe('listAgents', () => {
  it('shows managers the whole configuration and members a summary', async () => {
    const w = await world();
    await addAgent(w.deps, alice, add({ handle: 'assistant', systemPrompt: 'secret sauce' }));

    const forOwner = await listAgents(w.deps, alice, { roomId: 'r1', limit: 50 });
    const forMember = await listAgents(w.deps, bob, { roomId: 'r1', limit: 50 });

    expect(forOwner.agents[0]).toMatchObject({ systemPrompt: 'secret sauce', dailyTokenBudget: 100_000 });
    expect(forMember.agents).toEqual([
      { handle: 'assistant', displayName: 'Assistant', modelId: 'amazon.nova-lite-v1:0', trigger: { mode: 'mention' }, useMemory: true },
    ]);
  });
});

describe('listAgents models', () => {
  it('tells managers the allowed models and the default, and members neither', async () => {
    const w = await world(['amazon.nova-micro-v1:0', 'amazon.nova-lite-v1:0'], 'amazon.nova-micro-v1:0');

    const forOwner = await listAgents(w.deps, alice, { roomId: 'r1', limit: 50 });
    const forMember = await listAgents(w.deps, bob, { roomId: 'r1', limit: 50 });

    expect(forOwner.models).toEqual({ allowed: ['amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0'], default: 'amazon.nova-micro-v1:0' });
    expect(forMember).not.toHaveProperty('models');
  });

  it('says any model is allowed with an empty list when the deployment names none', async () => {
    const w = await world();

    const page = await listAgents(w.deps, alice, { roomId: 'r1', limit: 50 });

    expect(page.models).toEqual({ allowed: [], default: 'amazon.nova-lite-v1:0' });
  });
});

describe('listAgents paging', () => {
  it('cuts the page at the byte budget and reaches every agent once by following the cursor', async () => {
    const w = await world();
    // Long prompts in two-byte characters: 12 agents of 16 KB would make a 190 KB answer.
    for (let i = 0; i < 12; i += 1) {
      await addAgent(w.deps, alice, add({ handle: `agent-${String(i).padStart(2, '0')}`, systemPrompt: 'é'.repeat(8000) }));
    }

    const handles: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAgents(w.deps, alice, { roomId: 'r1', limit: 50, ...(cursor ? { cursor } : {}) });
      expect(utf8Bytes(JSON.stringify(page.agents))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
      sizes.push(page.agents.length);
      handles.push(...page.agents.map((a) => a.handle));
      cursor = page.nextCursor;
    } while (cursor !== undefined);

    expect(sizes.length).toBeGreaterThan(1);
    expect(handles).toEqual(Array.from({ length: 12 }, (_, i) => `agent-${String(i).padStart(2, '0')}`));
  });

  it('honours the limit', async () => {
    const w = await world();
    for (const handle of ['a1', 'a2', 'a3']) await addAgent(w.deps, alice, add({ handle }));

    const first = await listAgents(w.deps, bob, { roomId: 'r1', limit: 2 });
    const second = await listAgents(w.deps, bob, { roomId: 'r1', limit: 2, cursor: first.nextCursor! });

    expect(first.agents.map((a) => a.handle)).toEqual(['a1', 'a2']);
    expect(second.agents.map((a) => a.handle)).toEqual(['a3']);
    expect(second.nextCursor).toBeUndefined();
  });
});

describe('removeAgent', () => {
  it('removes the agent and tells the room', async () => {
    const w = await world();
    await addAgent(w.deps, alice, add({ handle: 'assistant' }));

    await removeAgent(w.deps, alice, { roomId: 'r1', handle: '@assistant' });

    expect(await w.agents.listAgents('r1')).toEqual([]);
    expect(w.feed.ofType('agentChanged').map((f) => f.change)).toEqual(['added', 'removed']);
  });

  it('reports an agent that does not exist, and refuses members', async () => {
    const w = await world();
    await expect(removeAgent(w.deps, alice, { roomId: 'r1', handle: 'ghost' })).rejects.toThrow(NotFoundError);
    await expect(removeAgent(w.deps, bob, { roomId: 'r1', handle: 'ghost' })).rejects.toThrow(PermissionError);
  });
});

describe('agent configuration audit', () => {
  const update = (changes: Record<string, unknown>) =>
    agentRequestSchemas.updateAgent.parse({ roomId: 'r1', handle: 'assistant', changes });

  it('records an added agent with its scalar settings, by the manager who added it', async () => {
    const w = await world();

    const { agent } = await addAgent(w.deps, alice, add({ handle: 'Assistant', trigger: { mode: 'ambient' }, useMemory: true }));

    expect(w.audit.entries).toEqual([
      {
        roomId: 'r1',
        idempotencyKey: `agent:assistant:configured:${agent.updatedAt}:${alice.userId}`,
        occurredAt: agent.updatedAt,
        actor: { type: 'user', id: alice.userId },
        action: 'agent.configured',
        target: { type: 'agent', id: 'assistant' },
        details: expect.objectContaining({ change: 'added', modelId: 'amazon.nova-lite-v1:0', trigger: 'ambient', useMemory: true }),
      },
    ]);
  });

  it('records an update with the names of the settings that changed', async () => {
    const w = await world();
    await addAgent(w.deps, alice, add({ handle: 'assistant', temperature: 0.2 }));
    w.clock.advance(1000);

    const { agent } = await updateAgent(w.deps, alice, update({ temperature: 0.2, maxOutputTokens: 256, systemPrompt: 'Be terse.' }));

    const [, updated] = w.audit.entries;
    expect(w.audit.entries).toHaveLength(2);
    expect(updated).toMatchObject({
      idempotencyKey: `agent:assistant:configured:${agent.updatedAt}:${alice.userId}`,
      action: 'agent.configured',
      details: { change: 'updated', changed: ['maxOutputTokens', 'systemPrompt'], maxOutputTokens: 256 },
    });
  });

  it('never records the system prompt or persona text', async () => {
    const w = await world();
    const secret = 'You are the vault keeper; the passphrase is swordfish';
    await addAgent(w.deps, alice, add({ handle: 'assistant', systemPrompt: secret, persona: 'Grumpy librarian' }));
    w.clock.advance(1000);
    await updateAgent(w.deps, alice, update({ systemPrompt: `${secret}, twice`, persona: 'Cheerful clerk' }));

    const recorded = JSON.stringify(w.audit.entries);

    expect(w.audit.entries).toHaveLength(2);
    expect(recorded).not.toContain('swordfish');
    expect(recorded).not.toContain('librarian');
    expect(recorded).not.toContain('Cheerful');
    expect(w.audit.entries[0]?.details).toMatchObject({ systemPromptChars: secret.length, personaChars: 16 });
  });

  it('records a removal once per removed version, with the manager as actor', async () => {
    const w = await world();
    const { agent } = await addAgent(w.deps, alice, add({ handle: 'assistant' }));

    await removeAgent(w.deps, alice, { roomId: 'r1', handle: '@assistant' });

    expect(w.audit.entries.at(-1)).toMatchObject({
      idempotencyKey: `agent:assistant:removed:${agent.updatedAt}`,
      actor: { type: 'user', id: alice.userId },
      action: 'agent.removed',
      target: { type: 'agent', id: 'assistant' },
      details: { modelId: 'amazon.nova-lite-v1:0', trigger: 'mention' },
    });
  });

  it('records nothing for a refused change', async () => {
    const w = await world();

    await expect(addAgent(w.deps, bob, add({ handle: 'assistant' }))).rejects.toThrow(PermissionError);
    await expect(removeAgent(w.deps, alice, { roomId: 'r1', handle: 'ghost' })).rejects.toThrow(NotFoundError);

    expect(w.audit.entries).toEqual([]);
  });
});

describe('agents’ tools', () => {
  const changeTools = (tools: unknown) => agentRequestSchemas.updateAgent.parse({ roomId: 'r1', handle: 'assistant', changes: { tools } });

  it('gives a new agent no tools unless its manager chooses some, and keeps those chosen', async () => {
    const w = await world();

    const { agent: plain } = await addAgent(w.deps, alice, add({ handle: 'plain' }));
    const { agent: clock } = await addAgent(w.deps, alice, add({ handle: 'clock', tools: ['current_time'] }));

    expect(plain.tools).toEqual([]);
    expect(clock.tools).toEqual(['current_time']);
  });

  it('refuses a tool that is not built in at the edge', () => {
    expect(() => add({ handle: 'shell', tools: ['run_shell'] })).toThrow();
    expect(() => changeTools(['current_time', 42])).toThrow();
  });

  it('changes an agent’s tools and records their names as a changed setting', async () => {
    const w = await world();
    await addAgent(w.deps, alice, add({ handle: 'assistant' }));
    w.clock.advance(1000);

    const { agent } = await updateAgent(w.deps, alice, changeTools(['search_room_history', 'current_time']));

    expect(agent.tools).toEqual(['search_room_history', 'current_time']);
    expect(w.audit.entries.at(-1)?.details).toMatchObject({ changed: ['tools'], tools: ['search_room_history', 'current_time'] });
  });

  it('lets only owners and moderators choose tools', async () => {
    const w = await world();
    await addAgent(w.deps, alice, add({ handle: 'assistant' }));

    await expect(updateAgent(w.deps, bob, changeTools(['current_time']))).rejects.toThrow(PermissionError);
    expect((await w.agents.getAgent('r1', 'assistant'))?.tools).toEqual([]);
  });
});
