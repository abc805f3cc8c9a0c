import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { DEFAULT_FAN_OUT_SHARD_SIZE, DEFAULT_FAN_OUT_THRESHOLD } from '../lambdas/domain/fan-out';
import { DEFAULT_MAX_TEXT_BYTES, MAX_TEXT_BYTES_CEILING } from '../lambdas/domain/text';
import { DEFAULT_EDIT_WINDOW_SECONDS } from '../lambdas/domain/message-edits';
import { agentModelConfigShape, bedrockModelId, checkAgentModelConfig } from './agent-model-config';
import { checkMemoryEmbeddingConfig, memoryEmbeddingConfigShape } from './memory-embedding-config';
import { peopleConfigShape } from './people-config';
import { checkProfileConfig, profileConfigShape } from './profile-config';
import { checkRetentionConfig, retentionConfigShape } from './retention-config';

/**
 * Parley's deployment configuration, read from CDK context
 * (`cdk synth -c stage=dev -c maxTextBytes=8192`, or the `context` block of
 * cdk.json). Every key has a default suited to production; anything invalid
 * stops the synth with the list of offending keys.
 */

/** Context values given on the command line arrive as strings. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const retentionDays = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'),
);

export const configSchema = z
  .object({
    /** Names the stacks and the WebSocket API stage. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,23}$/, 'lower-case letters, digits and dashes, starting with a letter')
      .default('prod'),
    /** Largest message text, in UTF-8 bytes (an API Gateway frame is 32 KB). */
    maxTextBytes: integer(1, MAX_TEXT_BYTES_CEILING).default(DEFAULT_MAX_TEXT_BYTES),
    /** How long after sending a message its sender may edit it, in seconds (0: never; deleting stays possible). */
    editWindowSeconds: integer(0, 7 * 86_400).default(DEFAULT_EDIT_WINDOW_SECONDS),
    /** Per-user message rate: sustained messages per second… */
    rateLimitPerSecond: integer(1, 1000).default(5),
    /** …and how many may arrive at once. */
    rateLimitBurst: integer(1, 10_000).default(10),
    /**
     * Connections subscribed to a room above which its messages are
     * delivered by the fan-out workers in shards rather than by sendMessage
     * itself (docs/architecture.md, *Delivery*).
     */
    fanOutShardThreshold: integer(1, 1_000_000).default(DEFAULT_FAN_OUT_THRESHOLD),
    /** Connections per fan-out shard (one SQS job, one worker invocation's posts). */
    fanOutShardSize: integer(10, 1000).default(DEFAULT_FAN_OUT_SHARD_SIZE),
    /** Per-user changes (every action but sending and reading): sustained per second… */
    actionRateLimitPerSecond: integer(1, 1000).default(2),
    /** …and how many may arrive at once. */
    actionRateLimitBurst: integer(1, 10_000).default(30),
    /** Guest tokens (docs/widget.md) per source address: sustained per second… */
    guestTokensPerIpPerSecond: integer(1, 1000).default(1),
    /** …and how many at once. */
    guestTokensPerIpBurst: integer(1, 10_000).default(5),
    /** Guest tokens per room: sustained per second… */
    guestTokensPerRoomPerSecond: integer(1, 1000).default(5),
    /** …and how many at once. */
    guestTokensPerRoomBurst: integer(1, 10_000).default(50),
    /** Requests per second the whole WebSocket stage accepts (all users). */
    stageThrottleRate: integer(1, 10_000).default(500),
    /** Burst the whole WebSocket stage accepts (all users). */
    stageThrottleBurst: integer(1, 5000).default(1000),
    /** Requests per second the whole HTTP API stage accepts (all callers; each API key has its own limits too). */
    httpThrottleRate: integer(1, 10_000).default(100),
    /** Burst the whole HTTP API stage accepts. */
    httpThrottleBurst: integer(1, 5000).default(200),
    /** Requests per minute an API key may make unless its owner sets fewer. */
    apiKeyRatePerMinute: integer(1, 6000).default(60),
    /** The most requests per minute an owner may give an API key. */
    apiKeyMaxRatePerMinute: integer(1, 6000).default(600),
    /** Retention of function and access logs, one of CloudWatch's allowed values. */
    logRetentionDays: z.coerce
      .number()
      .refine((days) => retentionDays.has(days), {
        message: `one of ${[...retentionDays].sort((a, b) => a - b).join(', ')}`,
      })
      .default(RetentionDays.ONE_MONTH),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** What happens to tables, keys, the user pool and logs when the stack is deleted. */
    dataRemovalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    /** DynamoDB and Cognito deletion protection. */
    deletionProtection: flag.default(true),
    /**
     * Whether anyone may create an account (the web client offers sign-up),
     * or only administrators (invite-only: the web client hides sign-up).
     */
    selfSignUp: flag.default(true),
    userPoolMfa: z.enum(['off', 'optional', 'required']).default('optional'),
    /** `plus` enables Cognito threat protection (compromised credentials, adaptive authentication). */
    userPoolFeaturePlan: z.enum(['essentials', 'plus']).default('plus'),
    /** Token issuer the $connect authorizer trusts; default: the stack's user pool. */
    jwtIssuer: z.url({ protocol: /^https?$/ }).optional(),
    /** Token audience; default: the user pool's app client id. Required with `jwtIssuer`. */
    jwtAudience: z.string().min(1).optional(),
    /** JWKS location; default: `<issuer>/.well-known/jwks.json`. */
    jwksUri: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * Registers API Gateway's account-wide CloudWatch Logs role, which stage
     * access logging requires. Turn off when the account already has one.
     */
    apiGatewayAccountRole: flag.default(true),
    /** Writes an esbuild metafile next to each bundle (for bundle analysis). */
    bundleMetafile: flag.default(false),
    /** Days each archived audit object stays locked against change and deletion (S3 Object Lock). */
    auditRetentionDays: integer(1, 36_500).default(365),
    /** `compliance`: nobody can shorten the lock; `governance`: users allowed to bypass it can (test stages). */
    auditLockMode: z.enum(['compliance', 'governance']).default('compliance'),
    /** Days the original text of a redacted or quarantined message is kept for moderators. */
    originalsRetentionDays: integer(1, 3650).default(30),
    /** Bedrock guardrail for the optional AWS-side moderation check; none by default. */
    moderationGuardrailId: z.string().regex(/^[a-z0-9]{1,64}$|^arn:aws[a-z-]*:bedrock:/).optional(),
    /** The guardrail's version (a number, or DRAFT). */
    moderationGuardrailVersion: z.string().regex(/^(?:[1-9]\d{0,7}|DRAFT)$/).default('DRAFT'),
    /** Room memory refreshes a room's summary after every this many remembered messages. */
    memorySummaryEvery: integer(2, 1000).default(20),
    /**
     * Bedrock model (foundation model id, cross-region inference profile id or
     * application inference profile ARN) that writes room summaries; unset,
     * summaries are extractive and need no model.
     */
    memorySummaryModelId: bedrockModelId.optional(),
    /** Room memory's embeddings model: Titan, or an OpenAI-compatible API (lib/memory-embedding-config.ts). */
    ...memoryEmbeddingConfigShape,
    /**
     * Origins browsers upload room documents from (the web client's), comma
     * separated, for the documents bucket's CORS rule; `*` allows any, the
     * presigned POST's policy being the credential.
     */
    documentUploadOrigins: z.string().min(1).default('*'),
    /** How long a document upload link works, in seconds. */
    documentUploadSeconds: integer(60, 3600).default(300),
    /** How long the event bus's archive keeps Parley's domain events for replay, in days (docs/events.md). */
    eventArchiveDays: integer(1, 3650).default(30),
    /** Operations: where alarms are sent (an email subscription to the alarm topic); unset, no subscription. */
    alarmEmail: z.email().optional(),
    /** Retention policies and the message archive (lib/retention-config.ts). */
    ...retentionConfigShape,
    /** The deployment profile: `aws` or `localstack` (lib/profile-config.ts). */
    ...profileConfigShape,
    /** Agents' models and the OpenAI-compatible endpoint (lib/agent-model-config.ts). */
    ...agentModelConfigShape,
    /** Finding people and how long invitations last (lib/people-config.ts). */
    ...peopleConfigShape,
  })
  .superRefine((config, ctx) => {
    checkRetentionConfig(config, ctx);
    checkProfileConfig(config, ctx);
    checkMemoryEmbeddingConfig(config, ctx);
    checkAgentModelConfig(config, ctx);
    if (config.jwtIssuer !== undefined && config.jwtAudience === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwtAudience'],
        message: 'required when jwtIssuer is set (the user pool client id only fits the user pool)',
      });
    }
    if (config.rateLimitBurst < config.rateLimitPerSecond) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimitBurst'],
        message: 'must be at least rateLimitPerSecond',
      });
    }
    if (config.actionRateLimitBurst < config.actionRateLimitPerSecond) {
      ctx.addIssue({
        code: 'custom',
        path: ['actionRateLimitBurst'],
        message: 'must be at least actionRateLimitPerSecond',
      });
    }
  });

export type ParleyConfig = z.output<typeof configSchema>;

export const CONFIG_KEYS = Object.keys(configSchema.shape) as ReadonlyArray<keyof ParleyConfig>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates raw configuration values; throws a ConfigError naming every bad key. */
export function parseConfig(raw: Readonly<Record<string, unknown>>): ParleyConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`Invalid Parley configuration (CDK context):\n${issues.join('\n')}`);
  }
  return result.data;
}

/** Reads Parley's keys from the CDK context of `scope` (usually the App). */
export function readConfig(scope: Construct): ParleyConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value: unknown = scope.node.tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseConfig(raw);
}
