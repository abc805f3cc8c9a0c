import * as z from 'zod/mini';
import { estimateTokens, type Prompt } from '../../../domain/agents/prompt';
import type { ModelClient, ModelToolSpec } from '../../../domain/agents/ports';
import { DIALOGUE_TOOLS, modelResolutionSchema, modelTurnSchema, type ModelResolution, type ModelTurn } from '../../../domain/games/dialogue';
import type { DialoguePrompt } from '../../../domain/games/dialogue-rules';

/** The model the dialogue worker calls, and how. */
export interface DialogueModelDeps {
  readonly model: ModelClient;
  readonly modelId: string;
}

/** Asks per answer: the first, and one more when it was malformed. */
export const MODEL_ATTEMPTS = 2;

/** Why an attempt's answer could not be used. */
export type ModelFailure = 'noToolCall' | 'invalidJson' | 'invalidInput' | 'modelError';

export interface ModelAnswer<T> {
  /** Absent when every attempt failed. */
  readonly value?: T;
  /** Each failed attempt's reason, in order. */
  readonly failures: readonly ModelFailure[];
}

const jsonSchema = (schema: z.core.$ZodType): Readonly<Record<string, unknown>> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** The tools the model must call: their input schemas generated from the schemas their input is checked with. */
export const DIALOGUE_TOOL_SPECS = {
  turn: {
    name: DIALOGUE_TOOLS.turn,
    description: "The characters' replies to the player, the changes to their state, the player's next options, and whether the goal is reached.",
    inputSchema: jsonSchema(modelTurnSchema),
  },
  resolution: {
    name: DIALOGUE_TOOLS.resolution,
    description: 'How the dialogue ended (success, partial or failure) and a summary of what happened.',
    inputSchema: jsonSchema(modelResolutionSchema),
  },
} as const satisfies Record<string, ModelToolSpec>;

const promptOf = (prompt: DialoguePrompt): Prompt => ({
  system: prompt.system,
  turns: [{ role: 'user', text: prompt.user }],
  estimatedTokens: estimateTokens(prompt.system) + estimateTokens(prompt.user),
  includedMessageIds: [],
  trimmed: { messages: 0, passages: 0, summary: false },
});

/**
 * Asks the model for a tool's input and checks it against `schema`: no
 * tool call, input that is not JSON, or input the schema refuses (and a
 * model that fails outright) is asked again, up to MODEL_ATTEMPTS times.
 * Never throws: the caller decides what an answer that never came means.
 */
async function askTool<T>(
  deps: DialogueModelDeps,
  prompt: DialoguePrompt,
  tool: ModelToolSpec,
  schema: z.ZodMiniType<T>,
  maxOutputTokens: number,
): Promise<ModelAnswer<T>> {
  const failures: ModelFailure[] = [];
  for (let attempt = 1; attempt <= MODEL_ATTEMPTS; attempt += 1) {
    let input: unknown;
    let called = false;
    try {
      for await (const event of deps.model.stream({
        modelId: deps.modelId,
        prompt: promptOf(prompt),
        temperature: 0.7,
        maxOutputTokens,
        tools: [tool],
        toolChoice: { tool: tool.name },
      })) {
        if (event.type === 'toolUse' && event.name === tool.name && !called) {
          called = true;
          input = event.input;
        }
      }
    } catch {
      failures.push('modelError');
      continue;
    }
    if (!called) {
      failures.push('noToolCall');
      continue;
    }
    // The adapters pass on a tool input that was not JSON as its raw text.
    if (typeof input === 'string') {
      failures.push('invalidJson');
      continue;
    }
    const parsed = z.safeParse(schema, input);
    if (!parsed.success) {
      failures.push('invalidInput');
      continue;
    }
    return { value: parsed.data, failures };
  }
  return { failures };
}

export const askTurn = (deps: DialogueModelDeps, prompt: DialoguePrompt): Promise<ModelAnswer<ModelTurn>> =>
  askTool(deps, prompt, DIALOGUE_TOOL_SPECS.turn, modelTurnSchema, 2000);

export const askResolution = (deps: DialogueModelDeps, prompt: DialoguePrompt): Promise<ModelAnswer<ModelResolution>> =>
  askTool(deps, prompt, DIALOGUE_TOOL_SPECS.resolution, modelResolutionSchema, 800);
