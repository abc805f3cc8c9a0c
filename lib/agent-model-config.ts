import { z } from 'zod';
import { DEFAULT_MODEL_ID } from '../lambdas/domain/agents/config';
import { readModelRef } from '../lambdas/domain/agents/models';

/**
 * The models agents may use and the OpenAI-compatible endpoint, as CDK
 * context keys (part of lib/config.ts's schema). Every model id is read by
 * lambdas/domain/agents/models.ts, which the grants and the functions use too.
 */

/** A model id of any form (Bedrock id, inference profile id or ARN, `openai:<model>`), with the reason when it is not one. */
const modelId = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const result = readModelRef(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.problem });
  });

/** A Bedrock model, foundation model id or inference profile (the memory summarizer takes no other). */
export const bedrockModelId = modelId.superRefine((value, ctx) => {
  const result = readModelRef(value);
  if (result.ok && result.ref.provider !== 'bedrock') {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a Bedrock model; only agents can use the OpenAI-compatible endpoint` });
  }
});

/** A Secrets Manager secret's ARN, or its name. */
const SECRET = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$|^[A-Za-z0-9/_+=.@-]{1,512}$/;

export const agentModelConfigShape = {
  /**
   * Models room managers may give their agents (comma-separated on the
   * command line); the agent worker may invoke these and no others.
   */
  agentModelIds: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value),
      z.array(modelId).min(1),
    )
    .default([DEFAULT_MODEL_ID, 'amazon.nova-micro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0']),
  /** The model a new agent gets when its manager names none; must be one of `agentModelIds`. */
  agentDefaultModelId: modelId.default(DEFAULT_MODEL_ID),
  /**
   * Base URL of an OpenAI-compatible chat API (`https://api.openai.com/v1`):
   * agents whose model is `openai:<model>` call `<base URL>/chat/completions`.
   */
  openAiBaseUrl: z
    .url({ protocol: /^https$/, error: 'an https URL (the API key travels with every request)' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /**
   * The Secrets Manager secret (ARN or name) holding that API's key; unset,
   * the stateful stack creates one for you to put the key in.
   */
  openAiApiKeySecret: z.string().trim().regex(SECRET, 'a Secrets Manager secret ARN or name').optional(),
};

type AgentModelConfig = z.output<z.ZodObject<typeof agentModelConfigShape>>;

/** The checks across keys: the default model is allowed, and `openai:` models have an endpoint. */
export function checkAgentModelConfig(config: AgentModelConfig, ctx: z.RefinementCtx): void {
  if (!config.agentModelIds.includes(config.agentDefaultModelId)) {
    ctx.addIssue({
      code: 'custom',
      path: ['agentModelIds'],
      message: `must include ${config.agentDefaultModelId}, the model new agents get (agentDefaultModelId)`,
    });
  }
  const openAiModels = config.agentModelIds.filter((id) => parseProvider(id) === 'openai');
  if (openAiModels.length > 0 && config.openAiBaseUrl === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['openAiBaseUrl'],
      message: `required for ${openAiModels.join(', ')} (the OpenAI-compatible endpoint those models are served by)`,
    });
  }
  if (config.openAiApiKeySecret !== undefined && config.openAiBaseUrl === undefined) {
    ctx.addIssue({ code: 'custom', path: ['openAiApiKeySecret'], message: 'only meaningful with openAiBaseUrl' });
  }
}

const parseProvider = (id: string) => {
  const result = readModelRef(id);
  return result.ok ? result.ref.provider : undefined;
};
