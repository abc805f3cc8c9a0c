import { attemptSuffix } from '../../domain/agents/job';
/**
 * Items of the agents feature, in Parley's existing tables (see schema.ts):
 *
 * Rooms table (configuration lives with the room it belongs to):
 *   ROOM#<roomId>  AGENT#<handle>     an agent's configuration (entity "agent")
 *
 * Messages table (agent replies are messages like any other):
 *   <roomId>  MSG#<messageId>                                  the reply (entity "message", senderType "agent")
 *   <roomId>  DEDUP#agent:<handle>#reply:<triggerMessageId>    one reply per agent and message (entity "dedupe")
 *   <roomId>  DEDUP#agent:<handle>#reply:<triggerMessageId>#<n>  one per regenerated answer n = 2, 3 (entity "dedupe")
 *
 * Connections table (short-lived counters and locks, expired by TTL):
 *   AGENTBUDGET#<roomId>  <day>#<handle>   tokens used that UTC day (entity "agentBudget")
 *   AGENTFLOOR#<roomId>   FLOOR            who holds the floor for unprompted speech (entity "agentFloor")
 *   AGENTREPLY#<roomId>   <replyId>        a reply while it streams: who asked, a stop request (entity "agentLiveReply")
 *   AGENTREGEN#<roomId>   <triggerMessageId>#<handle>#<attempt>   a regeneration asked for (entity "agentRegeneration")
 *   MODELCIRCUIT#<modelId>  CIRCUIT   a model's circuit breaker, shared by every worker (entity "modelCircuit"; one per model, no TTL)
 */
export const AGENT_ENTITY = {
  agent: 'agent',
  budget: 'agentBudget',
  floor: 'agentFloor',
  liveReply: 'agentLiveReply',
  regeneration: 'agentRegeneration',
  circuit: 'modelCircuit',
} as const;

export const agentKey = (roomId: string, handle: string) => ({ pk: `ROOM#${roomId}`, sk: `AGENT#${handle}` });
export const AGENT_SK_PREFIX = 'AGENT#';

export const budgetKey = (roomId: string, handle: string, day: string) => ({
  pk: `AGENTBUDGET#${roomId}`,
  sk: `${day}#${handle}`,
});

export const floorKey = (roomId: string) => ({ pk: `AGENTFLOOR#${roomId}`, sk: 'FLOOR' });

export const modelCircuitKey = (modelId: string) => ({ pk: `MODELCIRCUIT#${modelId}`, sk: 'CIRCUIT' });

export const liveReplyKey = (roomId: string, replyId: string) => ({ pk: `AGENTREPLY#${roomId}`, sk: replyId });

/**
 * The idempotency key of an agent's reply to a message, stored as its
 * clientMessageId: `reply:<triggerMessageId>` for the first answer (as
 * before regeneration existed), `reply:<triggerMessageId>#<attempt>` for a
 * regenerated one.
 */
export const replyClientId = (triggerMessageId: string, attempt?: number): string =>
  `reply:${triggerMessageId}${attemptSuffix(attempt)}`;

/** A requested regeneration while its job runs: one item per (message, agent, attempt). */
export const regenerationKey = (roomId: string, handle: string, triggerMessageId: string, attempt: number) => ({
  pk: `AGENTREGEN#${roomId}`,
  sk: `${triggerMessageId}#${handle}#${attempt}`,
});
