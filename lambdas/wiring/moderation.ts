import { S3Client } from '@aws-sdk/client-s3';
import { bedrockRuntimeClient } from '../adapters/bedrock/client';
import { GuardrailDetector } from '../adapters/bedrock/moderation-guardrail';
import { dynamoDocumentClient } from '../adapters/clients';
import { DynamoAgentRepository } from '../adapters/dynamodb/agent-repository';
import { DynamoModeratedMessageStore } from '../adapters/dynamodb/moderation-message-store';
import { DynamoOriginalTextStore } from '../adapters/dynamodb/moderation-originals';
import { DynamoModerationSettingsRepository } from '../adapters/dynamodb/moderation-settings-repository';
import { S3AuditArchive } from '../adapters/s3/audit-archive';
import type { Detector } from '../domain/moderation/findings';
import type { AgentRoster } from '../domain/moderation/ports';
import { ENV, intEnv, requireEnv } from '../shared/env';

/**
 * Builders for the moderation and audit adapters, each from the environment
 * variable its construct's bindX() helper sets. Handlers call them once, at
 * cold start.
 */
export { auditLog } from './dependencies';

export const moderatedMessages = () =>
  new DynamoModeratedMessageStore(dynamoDocumentClient(), requireEnv(ENV.messagesTable));

export const originalTexts = () =>
  new DynamoOriginalTextStore(
    dynamoDocumentClient(),
    requireEnv(ENV.moderationTable),
    intEnv(ENV.originalsRetentionDays, 30),
  );

export const moderationSettings = () =>
  new DynamoModerationSettingsRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** The handles of a room's agents, read from the rooms table (one Query per check). */
export function agentRoster(): AgentRoster {
  const agents = new DynamoAgentRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));
  return { handles: async (roomId) => new Set((await agents.listAgents(roomId)).map((agent) => agent.handle.toLowerCase())) };
}

/** The Bedrock Guardrails check, when the deployment names a guardrail; none otherwise. */
export function extraDetectors(): Detector[] {
  const id = process.env[ENV.guardrailId];
  if (!id) return [];
  return [new GuardrailDetector(bedrockRuntimeClient(), { id, version: process.env[ENV.guardrailVersion] || 'DRAFT' })];
}

/** The audit archive bucket. A local S3 engine (AWS_ENDPOINT_URL_S3) is addressed by path. */
export const auditArchive = () =>
  new S3AuditArchive(
    new S3Client({ forcePathStyle: process.env['AWS_ENDPOINT_URL_S3'] !== undefined }),
    requireEnv(ENV.auditBucket),
  );
