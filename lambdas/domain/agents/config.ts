import * as z from 'zod/mini';
import { visibleString, wireString } from '../protocol-fields';
import { modelIdProblem } from './models';
import { AGENT_LIMITS, AGENT_TEXT_LIMITS, HANDLE_PATTERN, type Bound } from './limits';
import { TOOL_NAMES } from './tool-names';

/**
 * An agent's configuration: who it is in the room, which model speaks for
 * it, when it speaks and how much it may spend. Stored per room and handle;
 * validated with the schemas below whenever it is written.
 */

export { HANDLE_PATTERN };

export const normalizeHandle = (handle: string): string => handle.trim().replace(/^@/, '').toLowerCase();

/** The sender id of an agent's messages in a room. */
export const agentSenderId = (handle: string): string => `agent:${handle}`;

const handle = z.pipe(
  z.string().check(z.trim(), z.regex(HANDLE_PATTERN, 'a handle is a letter then up to 31 letters, digits, _ or -')),
  z.transform(normalizeHandle),
);
const text = (max: number) => wireString().check(z.trim(), z.maxLength(max));
const nonEmpty = visibleString;
/** A number within one of AGENT_LIMITS, the bounds the web client's form checks too. */
const within = ({ min, max, integer }: Bound) => (integer ? z.int() : z.number()).check(z.minimum(min), z.maximum(max));
/** A model id of any form lambdas/domain/agents/models.ts reads, with the reason when it is not one. */
const modelId = z.string().check(
  z.trim(),
  z.superRefine((value, ctx) => {
    const problem = modelIdProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: value });
  }),
);

/** Built-in tools the agent may use (tools.ts), each named once. */
const toolList = z.pipe(
  z.array(z.enum(TOOL_NAMES)).check(z.maxLength(TOOL_NAMES.length * 2)),
  z.transform((names): Array<(typeof TOOL_NAMES)[number]> => [...new Set(names)]),
);

/** The model new agents get unless the deployment names another (`agentDefaultModelId`). */
export const DEFAULT_MODEL_ID = 'amazon.nova-lite-v1:0';
export const DEFAULT_SYSTEM_PROMPT =
  'You are a helpful participant in a group chat. Answer briefly and conversationally, ' +
  'address people by name when it helps, and say so when you do not know.';

export const triggerSchema = z.discriminatedUnion('mode', [
  /** Answers when its handle is mentioned. */
  z.object({ mode: z.literal('mention') }),
  /** Answers every human message (and mentions). */
  z.object({ mode: z.literal('everyMessage') }),
  /**
   * Answers mentions, and now and then speaks unprompted: after a human
   * message, with `probability`, when no agent has spoken unprompted in the
   * room for `minQuietSeconds`.
   */
  z.object({
    mode: z.literal('ambient'),
    probability: z._default(within(AGENT_LIMITS.ambientProbability), 0.2),
    minQuietSeconds: z._default(within(AGENT_LIMITS.ambientMinQuietSeconds), 300),
  }),
]);

export type AgentTrigger = z.output<typeof triggerSchema>;

/** The fields a room manager sets; every one but the handle has a default. */
export const agentSettingsSchema = z.object({
  handle,
  displayName: z.optional(nonEmpty(AGENT_TEXT_LIMITS.displayName)),
  /** Absent, the deployment's default model (completeSettings fills it in). */
  modelId: z.optional(modelId),
  temperature: z._default(within(AGENT_LIMITS.temperature), 0.7),
  maxOutputTokens: z._default(within(AGENT_LIMITS.maxOutputTokens), 512),
  systemPrompt: z._default(nonEmpty(AGENT_TEXT_LIMITS.systemPrompt), DEFAULT_SYSTEM_PROMPT),
  persona: z._default(text(AGENT_TEXT_LIMITS.persona), ''),
  trigger: z._default(triggerSchema, { mode: 'mention' }),
  /** How many recent messages the prompt shows. */
  historyWindow: z._default(within(AGENT_LIMITS.historyWindow), 20),
  /** Largest prompt, in estimated input tokens; older history is trimmed first. */
  maxPromptTokens: z._default(within(AGENT_LIMITS.maxPromptTokens), 4000),
  /**
   * Recall the room's memory (summary and passages). On unless the manager
   * turns it off: without it an agent forgets everything older than its window.
   */
  useMemory: z._default(z.boolean(), true),
  /** Passages recalled from room memory when `useMemory` is on. */
  retrievalK: z._default(within(AGENT_LIMITS.retrievalK), 4),
  /** Input plus output tokens this agent may use in this room per UTC day. */
  dailyTokenBudget: z._default(within(AGENT_LIMITS.dailyTokenBudget), 100_000),
  /**
   * Answer another agent's message that mentions this one. Off by default:
   * agents whose replies address each other would otherwise answer each
   * other, and one question would get several rounds of agent replies.
   */
  answersAgents: z._default(z.boolean(), false),
  /**
   * Tools the agent may call while it answers. None by default: each call
   * costs a model round trip and tokens from the room's budget, and reads
   * the room's history or documents, so owners choose them.
   */
  tools: z._default(toolList, []),
});

export type AgentSettingsInput = z.input<typeof agentSettingsSchema>;
export type AgentSettings = Omit<z.output<typeof agentSettingsSchema>, 'displayName' | 'modelId'> & {
  displayName: string;
  modelId: string;
};

/** Changes to an agent: any settings except the handle, validated again after merging. */
export const agentChangesSchema = z.object({
  displayName: z.optional(nonEmpty(AGENT_TEXT_LIMITS.displayName)),
  modelId: z.optional(modelId),
  temperature: z.optional(within(AGENT_LIMITS.temperature)),
  maxOutputTokens: z.optional(within(AGENT_LIMITS.maxOutputTokens)),
  systemPrompt: z.optional(nonEmpty(AGENT_TEXT_LIMITS.systemPrompt)),
  persona: z.optional(text(AGENT_TEXT_LIMITS.persona)),
  trigger: z.optional(triggerSchema),
  historyWindow: z.optional(within(AGENT_LIMITS.historyWindow)),
  maxPromptTokens: z.optional(within(AGENT_LIMITS.maxPromptTokens)),
  useMemory: z.optional(z.boolean()),
  retrievalK: z.optional(within(AGENT_LIMITS.retrievalK)),
  dailyTokenBudget: z.optional(within(AGENT_LIMITS.dailyTokenBudget)),
  answersAgents: z.optional(z.boolean()),
  tools: z.optional(toolList),
});

/** An agent of a room, as stored. */
export interface AgentConfig extends AgentSettings {
  readonly roomId: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** How an agent appears on frames and in listings to every member. */
export interface AgentRef {
  readonly handle: string;
  readonly displayName: string;
}

export const agentRef = (agent: Pick<AgentConfig, 'handle' | 'displayName'>): AgentRef => ({
  handle: agent.handle,
  displayName: agent.displayName,
});

/** A display name from a handle: `research-bot` → `Research Bot`. */
export const defaultDisplayName = (handle: string): string =>
  handle
    .split(/[-_]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');

/**
 * Settings with defaults applied, the display name filled in, and the model
 * the deployment gives new agents when none was chosen.
 */
export function completeSettings(
  parsed: z.output<typeof agentSettingsSchema>,
  defaultModelId: string = DEFAULT_MODEL_ID,
): AgentSettings {
  return {
    ...parsed,
    displayName: parsed.displayName ?? defaultDisplayName(parsed.handle),
    modelId: parsed.modelId ?? defaultModelId,
  };
}
