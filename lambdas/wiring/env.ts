/**
 * Runtime configuration from environment variables, set by the construct
 * that grants the matching access (see lib/constructs/parley-function.ts).
 * Each getter reads once and fails loudly when a required variable is missing.
 */
const cache = new Map<string, string | undefined>();

const read = (name: string): string | undefined => {
  if (!cache.has(name)) cache.set(name, process.env[name]);
  return cache.get(name);
};

export function requireEnv(name: string): string {
  const value = read(name);
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}.`);
  }
  return value;
}

export function intEnv(name: string, fallback: number): number {
  const raw = read(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Environment variable ${name} must be a positive integer, got "${raw}".`);
  }
  return value;
}

/** Names of the environment variables Parley's functions read. */
export const ENV = {
  roomsTable: 'ROOMS_TABLE',
  messagesTable: 'MESSAGES_TABLE',
  connectionsTable: 'CONNECTIONS_TABLE',
  managementEndpoint: 'WS_MANAGEMENT_ENDPOINT',
  maxTextBytes: 'MAX_TEXT_BYTES',
  rateLimitPerSecond: 'RATE_LIMIT_PER_SECOND',
  rateLimitBurst: 'RATE_LIMIT_BURST',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  jwksUri: 'JWKS_URI',
  auditTable: 'AUDIT_TABLE',
  auditBucket: 'AUDIT_BUCKET',
  moderationTable: 'MODERATION_TABLE',
  originalsRetentionDays: 'ORIGINALS_RETENTION_DAYS',
  guardrailId: 'MODERATION_GUARDRAIL_ID',
  guardrailVersion: 'MODERATION_GUARDRAIL_VERSION',
} as const;

/** Forgets cached values; for tests that change the environment. */
export const resetEnvCache = (): void => cache.clear();
