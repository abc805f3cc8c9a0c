import { describe, expect, it } from 'vitest';
import { agentRequestSchemas } from '../../../lambdas/domain/agents/protocol';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../../../lambdas/domain/errors';
import {
  addAgent,
  listAgents,
  removeAgent,
  updateAgent,
  type ManageAgentsDeps,
} from '../../../lambdas/use-cases/agents/manage-agents';
import { alice, bob, carol, FakeClock, FakeRooms } from '../../support/fakes';
import { FakeAgents, FakeFeed } from './fakes';

async function world(allowed: string[] = []) {
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
  const deps: ManageAgentsDeps = { rooms, agents, feed, clock, allowedModelIds: new Set(allowed) };
  return { deps, agents, feed, clock };
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

    const forOwner = await listAgents(w.deps, alice, { roomId: 'r1' });
    const forMember = await listAgents(w.deps, bob, { roomId: 'r1' });

    expect(forOwner.agents[0]).toMatchObject({ systemPrompt: 'secret sauce', dailyTokenBudget: 100_000 });
    expect(forMember.agents).toEqual([
      { handle: 'assistant', displayName: 'Assistant', modelId: 'amazon.nova-lite-v1:0', trigger: { mode: 'mention' }, useMemory: false },
    ]);
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
