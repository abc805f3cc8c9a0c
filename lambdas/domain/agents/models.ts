/**
 * The models an agent can speak through, named by one string (an agent's
 * `modelId`, an entry of the deployment's allowed models):
 *
 * - a Bedrock foundation model id: `amazon.nova-lite-v1:0`;
 * - a Bedrock cross-region inference profile id, a geography then a
 *   foundation model id: `us.anthropic.claude-3-5-haiku-20241022-v1:0`,
 *   `eu.…`, `apac.…`, `global.…`;
 * - a Bedrock application inference profile ARN:
 *   `arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6`;
 * - a model of the deployment's OpenAI-compatible endpoint: `openai:gpt-4o-mini`.
 *
 * Pure: the CDK app reads it to grant access, the functions to route calls.
 */
export type ModelRef =
  | { readonly provider: 'bedrock'; readonly kind: 'foundation-model'; readonly id: string }
  | {
      readonly provider: 'bedrock';
      readonly kind: 'inference-profile';
      readonly id: string;
      /** The profile's geography (`us`, `eu`, `apac`, `global`…), which decides the regions it routes to. */
      readonly geography: InferenceProfileGeography;
      /** The foundation model the profile routes to. */
      readonly foundationModelId: string;
    }
  | {
      readonly provider: 'bedrock';
      readonly kind: 'application-inference-profile';
      /** The ARN, as configured. */
      readonly id: string;
      readonly partition: string;
      readonly region: string;
      readonly account: string;
      readonly profileId: string;
    }
  | {
      readonly provider: 'openai';
      readonly id: string;
      /** The model name the endpoint is asked for (`gpt-4o-mini`, `llama3.2`). */
      readonly model: string;
    };

export type BedrockModelRef = Extract<ModelRef, { provider: 'bedrock' }>;

/** Prefixes of Bedrock's cross-region (system-defined) inference profiles. */
export const INFERENCE_PROFILE_GEOGRAPHIES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'] as const;
export type InferenceProfileGeography = (typeof INFERENCE_PROFILE_GEOGRAPHIES)[number];

/** The prefix that sends an agent's calls to the OpenAI-compatible endpoint. */
export const OPENAI_MODEL_PREFIX = 'openai:';

/**
 * `provider.model-name` with an optional version and context suffix:
 * `amazon.nova-lite-v1:0`, `anthropic.claude-3-haiku-20240307-v1:0:48k`.
 */
const FOUNDATION_MODEL = /^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?(?::[a-z0-9]+){0,2}$/;
const APPLICATION_PROFILE_ARN =
  /^arn:(aws(?:-[a-z]+)*):bedrock:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):application-inference-profile\/([a-z0-9]{1,64})$/;
const OPENAI_MODEL = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;

const EXPECTED =
  'use a Bedrock model id (amazon.nova-lite-v1:0), a cross-region inference profile id (us.…, eu.…, apac.…, global.…), ' +
  'an application inference profile ARN, or openai:<model>';

/** Either the model a string names, or why it names none. */
export type ModelRefResult = { readonly ok: true; readonly ref: ModelRef } | { readonly ok: false; readonly problem: string };

/** Reads a model id; never throws. */
export function readModelRef(raw: string): ModelRefResult {
  const id = raw.trim();
  if (id === '') return { ok: false, problem: `a model id is required; ${EXPECTED}` };
  if (id.length > 256) return { ok: false, problem: 'a model id has at most 256 characters' };

  if (id.startsWith(OPENAI_MODEL_PREFIX)) {
    const model = id.slice(OPENAI_MODEL_PREFIX.length);
    return OPENAI_MODEL.test(model)
      ? { ok: true, ref: { provider: 'openai', id, model } }
      : { ok: false, problem: `"${id}" needs a model name after openai: (letters, digits and . _ : / @ + -), as in openai:gpt-4o-mini` };
  }

  if (id.startsWith('arn:')) {
    const arn = APPLICATION_PROFILE_ARN.exec(id);
    if (!arn) {
      return {
        ok: false,
        problem:
          `"${id}" is not an application inference profile ARN (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>); ` +
          'give a foundation model or a cross-region inference profile by its id, not its ARN',
      };
    }
    const [, partition, region, account, profileId] = arn as unknown as [string, string, string, string, string];
    return { ok: true, ref: { provider: 'bedrock', kind: 'application-inference-profile', id, partition, region, account, profileId } };
  }

  const dot = id.indexOf('.');
  const prefix = id.slice(0, dot);
  const geography = INFERENCE_PROFILE_GEOGRAPHIES.find((g) => g === prefix);
  if (geography !== undefined) {
    const foundationModelId = id.slice(dot + 1);
    return FOUNDATION_MODEL.test(foundationModelId)
      ? { ok: true, ref: { provider: 'bedrock', kind: 'inference-profile', id, geography, foundationModelId } }
      : {
          ok: false,
          problem: `"${id}": an inference profile id is "${geography}." followed by a foundation model id, as in ${geography}.anthropic.claude-3-5-haiku-20241022-v1:0`,
        };
  }

  return FOUNDATION_MODEL.test(id)
    ? { ok: true, ref: { provider: 'bedrock', kind: 'foundation-model', id } }
    : { ok: false, problem: `"${id}" is not a model id; ${EXPECTED}` };
}

/** The model a string names; throws an Error saying what is wrong with it. */
export function parseModelRef(raw: string): ModelRef {
  const result = readModelRef(raw);
  if (!result.ok) throw new Error(result.problem);
  return result.ref;
}

/** Why `raw` names no model, or undefined when it does; for validation messages. */
export const modelIdProblem = (raw: string): string | undefined => {
  const result = readModelRef(raw);
  return result.ok ? undefined : result.problem;
};
