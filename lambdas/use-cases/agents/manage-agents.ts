import type { AuditDetails, AuditLog } from '../../domain/audit';
import type { DeliveryReport } from '../../domain/delivery';
import { NotFoundError, PermissionError, ValidationError } from '../../domain/errors';
import { agentCursor } from '../../domain/cursors';
import { fitPage } from '../../domain/frame-budget';
import { canManageMembers } from '../../domain/permissions';
import type { Clock, RoomRepository } from '../../domain/ports';
import type { Identity, Membership } from '../../domain/types';
import {
  agentRef,
  agentSettingsSchema,
  completeSettings,
  DEFAULT_MODEL_ID,
  normalizeHandle,
  type AgentConfig,
  type AgentRef,
  type AgentTrigger,
} from '../../domain/agents/config';
import type { AgentRepository, RoomFeed } from '../../domain/agents/ports';
import type { AgentRequestOf } from '../../domain/agents/protocol';
import { requireMembership } from '../access';

export interface ManageAgentsDeps {
  readonly rooms: RoomRepository;
  readonly agents: AgentRepository;
  readonly feed: RoomFeed;
  readonly clock: Clock;
  /** Where configuration changes are recorded. */
  readonly audit: AuditLog;
  /** Model ids agents may use (the ones the function may invoke); empty allows any. */
  readonly allowedModelIds: ReadonlySet<string>;
  /** The model a new agent gets when its manager names none; default DEFAULT_MODEL_ID. */
  readonly defaultModelId?: string;
}

/** What every member sees of an agent; managers see the whole configuration. */
export interface AgentSummary extends AgentRef {
  readonly modelId: string;
  readonly trigger: AgentTrigger;
  readonly useMemory: boolean;
}

const summaryOf = (agent: AgentConfig): AgentSummary => ({
  ...agentRef(agent),
  modelId: agent.modelId,
  trigger: agent.trigger,
  useMemory: agent.useMemory,
});

async function requireManager(deps: ManageAgentsDeps, identity: Identity, roomId: string): Promise<Membership> {
  const membership = await requireMembership(deps.rooms, roomId, identity.userId);
  if (!canManageMembers(membership.role)) {
    throw new PermissionError('Only the room owner and moderators can manage agents.');
  }
  return membership;
}

function assertModelAllowed(deps: ManageAgentsDeps, modelId: string): void {
  if (deps.allowedModelIds.size > 0 && !deps.allowedModelIds.has(modelId)) {
    throw new ValidationError(`Model "${modelId}" is not enabled here; use one of: ${[...deps.allowedModelIds].join(', ')}.`);
  }
}

/**
 * What the audit trail keeps of a configuration: scalar settings only. The
 * system prompt and persona are text a person wrote; only their length is kept.
 */
const configFacts = (agent: AgentConfig): AuditDetails => ({
  modelId: agent.modelId,
  trigger: agent.trigger.mode,
  useMemory: agent.useMemory,
  temperature: agent.temperature,
  maxOutputTokens: agent.maxOutputTokens,
  historyWindow: agent.historyWindow,
  dailyTokenBudget: agent.dailyTokenBudget,
  systemPromptChars: agent.systemPrompt.length,
  personaChars: agent.persona.length,
  // Older agents were stored before tools existed.
  tools: agent.tools ?? [],
});

/** Records a configuration change once per stored version (`updatedAt`) and manager. */
const recordConfigured = (deps: ManageAgentsDeps, identity: Identity, agent: AgentConfig, change: AuditDetails) =>
  deps.audit.record({
    roomId: agent.roomId,
    idempotencyKey: `agent:${agent.handle}:configured:${agent.updatedAt}:${identity.userId}`,
    occurredAt: agent.updatedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'agent.configured',
    target: { type: 'agent', id: agent.handle },
    details: { ...configFacts(agent), ...change },
  });

const announce = (deps: ManageAgentsDeps, roomId: string, change: 'added' | 'updated' | 'removed', agent: AgentConfig, by: string) =>
  deps.feed.publish(roomId, { type: 'agentChanged', roomId, change, agent: agentRef(agent), by });

/** Adds an agent to a room. Owners and moderators only; handles are unique per room. */
export async function addAgent(
  deps: ManageAgentsDeps,
  identity: Identity,
  request: AgentRequestOf<'addAgent'>,
): Promise<{ agent: AgentConfig; delivery: DeliveryReport }> {
  await requireManager(deps, identity, request.roomId);
  const settings = completeSettings(request.agent, deps.defaultModelId);
  assertModelAllowed(deps, settings.modelId);
  const now = new Date(deps.clock.now()).toISOString();
  const agent: AgentConfig = { ...settings, roomId: request.roomId, createdBy: identity.userId, createdAt: now, updatedAt: now };
  await deps.agents.createAgent(agent);
  await recordConfigured(deps, identity, agent, { change: 'added' });
  const delivery = await announce(deps, request.roomId, 'added', agent, identity.userId);
  return { agent, delivery };
}

/** Changes some of an agent's settings; the result is validated as a whole. */
export async function updateAgent(
  deps: ManageAgentsDeps,
  identity: Identity,
  request: AgentRequestOf<'updateAgent'>,
): Promise<{ agent: AgentConfig; delivery: DeliveryReport }> {
  await requireManager(deps, identity, request.roomId);
  const handle = normalizeHandle(request.handle);
  const current = await deps.agents.getAgent(request.roomId, handle);
  if (!current) throw new NotFoundError(`There is no agent @${handle} in this room.`);
  const changes = Object.fromEntries(Object.entries(request.changes).filter(([, value]) => value !== undefined));
  const { roomId, createdBy, createdAt, updatedAt: _updatedAt, ...settings } = current;
  const merged = agentSettingsSchema.safeParse({ ...settings, ...changes, handle });
  if (!merged.success) throw new ValidationError('The changed settings are not valid together.');
  const next = completeSettings(merged.data);
  assertModelAllowed(deps, next.modelId);
  const agent: AgentConfig = { ...next, roomId, createdBy, createdAt, updatedAt: new Date(deps.clock.now()).toISOString() };
  await deps.agents.replaceAgent(agent);
  // Names of the settings that changed, never their values: a prompt is free text.
  const changed = Object.keys(changes)
    .filter((name) => JSON.stringify(changes[name]) !== JSON.stringify(settings[name as keyof typeof settings]))
    .sort();
  await recordConfigured(deps, identity, agent, { change: 'updated', changed });
  const delivery = await announce(deps, request.roomId, 'updated', agent, identity.userId);
  return { agent, delivery };
}

/**
 * The models a manager may choose from: the deployment's allowed list
 * (empty when it allows any) and the model an agent gets when none is named.
 */
export interface AgentModels {
  readonly allowed: readonly string[];
  readonly default: string;
}

const modelsOf = (deps: ManageAgentsDeps): AgentModels => ({
  allowed: [...deps.allowedModelIds].sort(),
  default: deps.defaultModelId ?? DEFAULT_MODEL_ID,
});

/**
 * A page of the room's agents, in handle order: at most `limit` and no more
 * than fit in one WebSocket message (a configuration can weigh tens of KB);
 * `nextCursor` continues after the last one. Any member may list them;
 * owners and moderators see each agent's whole configuration, others its
 * name, model and trigger. Managers also get `models`, what the agent
 * form offers (a few hundred bytes, so it rides on every page they read).
 */
export async function listAgents(
  deps: ManageAgentsDeps,
  identity: Identity,
  request: AgentRequestOf<'listAgents'>,
): Promise<{ roomId: string; agents: Array<AgentConfig | AgentSummary>; nextCursor?: string; models?: AgentModels }> {
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  const page = await deps.agents.pageAgents(request.roomId, {
    limit: request.limit,
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const manager = canManageMembers(membership.role);
  const shown = manager ? page.items : page.items.map(summaryOf);
  const { items, nextCursor } = fitPage({ ...page, items: shown }, agentCursor);
  return {
    roomId: request.roomId,
    agents: items,
    ...(nextCursor !== undefined ? { nextCursor } : {}),
    ...(manager ? { models: modelsOf(deps) } : {}),
  };
}

/** Removes an agent from a room; jobs already queued for it are dropped when they run. */
export async function removeAgent(
  deps: ManageAgentsDeps,
  identity: Identity,
  request: AgentRequestOf<'removeAgent'>,
): Promise<{ roomId: string; handle: string; delivery: DeliveryReport }> {
  await requireManager(deps, identity, request.roomId);
  const handle = normalizeHandle(request.handle);
  const agent = await deps.agents.getAgent(request.roomId, handle);
  if (!agent || !(await deps.agents.deleteAgent(request.roomId, handle))) {
    throw new NotFoundError(`There is no agent @${handle} in this room.`);
  }
  // The version removed identifies the removal: an agent added again under
  // the same handle is a new version.
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `agent:${handle}:removed:${agent.updatedAt}`,
    occurredAt: new Date(deps.clock.now()).toISOString(),
    actor: { type: 'user', id: identity.userId },
    action: 'agent.removed',
    target: { type: 'agent', id: handle },
    details: { modelId: agent.modelId, trigger: agent.trigger.mode },
  });
  const delivery = await announce(deps, request.roomId, 'removed', agent, identity.userId);
  return { roomId: request.roomId, handle, delivery };
}

