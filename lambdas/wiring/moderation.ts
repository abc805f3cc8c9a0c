import { GuardrailDetector } from '../adapters/bedrock/moderation-guardrail';
import { DynamoAgentRepository } from '../adapters/dynamodb/agent-repository';
import { DynamoHeldQueue } from '../adapters/dynamodb/held-queue';
import { DynamoModeratedMessageStore } from '../adapters/dynamodb/moderation-message-store';
import { DynamoOriginalTextStore } from '../adapters/dynamodb/moderation-originals';
import { DynamoModerationSettingsRepository } from '../adapters/dynamodb/moderation-settings-repository';
import { S3AuditArchive } from '../adapters/s3/audit-archive';
import type { Detector } from '../domain/moderation/findings';
import type { AgentRoster } from '../domain/moderation/ports';
import { bedrockRuntimeClient, dynamoDocumentClient, s3Client } from './clients';
import { ENV, MODERATION_ENV, intEnv, optionalEnv, requireEnv } from './env';

/**
 * Moderation and audit's wiring: builders for their adapters, each from the
 * environment variable its construct's bindX() helper sets. Handlers call
 * them once, at cold start. The audit log itself is the chat core's
 * (wiring/chat.ts): every feature writes to it.
 */

export const moderatedMessages = () =>
  new DynamoModeratedMessageStore(dynamoDocumentClient(), requireEnv(ENV.messagesTable));

export const originalTexts = () =>
  new DynamoOriginalTextStore(
    dynamoDocumentClient(),
    requireEnv(MODERATION_ENV.moderationTable),
    intEnv(MODERATION_ENV.originalsRetentionDays, 30),
  );

/** The rooms' review queues, beside the originals in the moderation table. */
export const heldQueue = () => new DynamoHeldQueue(dynamoDocumentClient(), requireEnv(MODERATION_ENV.moderationTable));

export const moderationSettings = () =>
  new DynamoModerationSettingsRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** The handles of a room's agents, read from the rooms table (one Query per check). */
export function agentRoster(): AgentRoster {
  const agents = new DynamoAgentRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));
  return { handles: async (roomId) => new Set((await agents.listAgents(roomId)).map((agent) => agent.handle.toLowerCase())) };
}

/** The Bedrock Guardrails check, when the deployment names a guardrail; none otherwise. */
export function extraDetectors(): Detector[] {
  const id = optionalEnv(MODERATION_ENV.guardrailId);
  if (!id) return [];
  return [new GuardrailDetector(bedrockRuntimeClient(), { id, version: optionalEnv(MODERATION_ENV.guardrailVersion) ?? 'DRAFT' })];
}

/** The audit archive bucket. */
export const auditArchive = () => new S3AuditArchive(s3Client(), requireEnv(MODERATION_ENV.auditBucket));
