/**
 * The environment of Parley's functions: every variable's name, one list per
 * feature, and the typed getters that read them. The function construct's
 * bindX() helpers (lib/constructs/parley-function.ts) and the function
 * tables in lib/ set the variables from these same lists, so a name is
 * written once. No import: the CDK app reads this module too.
 */

/** The chat core's variables, which the features share: the tables, the management API, limits, tokens. */
export const ENV = {
  roomsTable: 'ROOMS_TABLE',
  messagesTable: 'MESSAGES_TABLE',
  connectionsTable: 'CONNECTIONS_TABLE',
  /** The append-only audit trail, which room, agent, moderation and retention changes write to. */
  auditTable: 'AUDIT_TABLE',
  managementEndpoint: 'WS_MANAGEMENT_ENDPOINT',
  maxTextBytes: 'MAX_TEXT_BYTES',
  /** How long after sending a message its sender may edit it, in seconds (default 900). */
  editWindowSeconds: 'EDIT_WINDOW_SECONDS',
  rateLimitPerSecond: 'RATE_LIMIT_PER_SECOND',
  rateLimitBurst: 'RATE_LIMIT_BURST',
  /** The per-user budget of changes (every action but sending and reading): sustained per second… */
  actionRateLimitPerSecond: 'ACTION_RATE_LIMIT_PER_SECOND',
  /** …and how many at once. */
  actionRateLimitBurst: 'ACTION_RATE_LIMIT_BURST',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  jwksUri: 'JWKS_URI',
} as const;

/** Sharded fan-out for large rooms. */
export const FAN_OUT_ENV = {
  /** The FIFO fan-out queue: sendMessage enqueues shards on it, the fan-out worker retries failed posts on it. */
  queueUrl: 'FAN_OUT_QUEUE_URL',
  /** Connections subscribed to a room above which its messages are fanned out in shards (default 500). */
  shardThreshold: 'FAN_OUT_SHARD_THRESHOLD',
  /** Connections per shard (default 250). */
  shardSize: 'FAN_OUT_SHARD_SIZE',
} as const;

/** Moderation and audit. */
export const MODERATION_ENV = {
  /** Originals of redacted messages, for moderators. */
  moderationTable: 'MODERATION_TABLE',
  /** How long a redacted message's original is kept, in days (default 30). */
  originalsRetentionDays: 'ORIGINALS_RETENTION_DAYS',
  /** The Object Lock bucket the audit archiver copies the audit trail to. */
  auditBucket: 'AUDIT_BUCKET',
  /** The Bedrock guardrail that checks messages, when the deployment names one. */
  guardrailId: 'MODERATION_GUARDRAIL_ID',
  /** Its version (default `DRAFT`). */
  guardrailVersion: 'MODERATION_GUARDRAIL_VERSION',
} as const;

/** The agents' functions. */
export const AGENT_ENV = {
  /** The agents' FIFO job queue. */
  jobsQueueUrl: 'AGENT_JOBS_QUEUE_URL',
  /** Its dead-letter queue (FIFO), where jobs that cannot be done go with their reason. */
  jobsDeadLetterQueueUrl: 'AGENT_JOBS_DLQ_URL',
  /** The job queue's maxReceiveCount: the delivery that gives up instead of failing. */
  maxReceiveCount: 'AGENT_MAX_RECEIVE_COUNT',
  /** Comma-separated model ids agents may use (those the agent function may invoke). */
  modelIds: 'AGENT_MODEL_IDS',
  /** Extra model ids a local Bedrock endpoint offers (set by the local runtime only). */
  localModelIds: 'AGENT_LOCAL_MODEL_IDS',
  /** The model new agents get when their manager names none (default amazon.nova-lite-v1:0). */
  defaultModelId: 'AGENT_DEFAULT_MODEL_ID',
  /** Base URL of the OpenAI-compatible endpoint `openai:<model>` agents speak through, when configured. */
  openAiBaseUrl: 'AGENT_OPENAI_BASE_URL',
  /** The Secrets Manager secret (ARN or name) holding that endpoint's API key. */
  openAiApiKeySecret: 'AGENT_OPENAI_API_KEY_SECRET',
  /** Moderation state new agent replies get: `allowed`, or `pending` when moderation runs. */
  replyModeration: 'AGENT_REPLY_MODERATION',
  /** Failed jobs of one model within the window that open its circuit (default 5). */
  circuitFailures: 'AGENT_CIRCUIT_FAILURES',
  /** The circuit's failure window in ms (default 60000). */
  circuitWindowMs: 'AGENT_CIRCUIT_WINDOW_MS',
  /** How long an open circuit refuses jobs before one probes, in ms (default 30000). */
  circuitCoolDownMs: 'AGENT_CIRCUIT_COOL_DOWN_MS',
} as const;

/** Room memory. */
export const MEMORY_ENV = {
  /** The memory table's name. */
  table: 'MEMORY_TABLE',
  /** Messages between summary refreshes (default 20). */
  summaryEvery: 'MEMORY_SUMMARY_EVERY',
  /** Messages per retrieval window (default 8). */
  windowSize: 'MEMORY_WINDOW_SIZE',
  /** `extractive` (default) or `bedrock`. */
  summarizer: 'MEMORY_SUMMARIZER',
  /** The Bedrock model that writes summaries when MEMORY_SUMMARIZER is `bedrock`. */
  summaryModelId: 'MEMORY_SUMMARY_MODEL_ID',
  /** A Titan text embeddings model; set, recall is semantic as well as lexical. */
  embeddingModelId: 'MEMORY_EMBEDDING_MODEL_ID',
  /** Base URL of an OpenAI-compatible embeddings API (`<url>/embeddings`); set, recall is semantic as well as lexical. */
  embeddingBaseUrl: 'MEMORY_EMBEDDING_BASE_URL',
  /** The model that API embeds with (required with MEMORY_EMBEDDING_BASE_URL). */
  embeddingModel: 'MEMORY_EMBEDDING_MODEL',
  /** The Secrets Manager secret (ARN or name) holding that API's key; unset, no key is sent. */
  embeddingApiKeySecret: 'MEMORY_EMBEDDING_API_KEY_SECRET',
} as const;

/** Room documents and their index. */
/** Retention and the message archive. */
export const RETENTION_ENV = {
  /** The message archive bucket. */
  archiveBucket: 'ARCHIVE_BUCKET',
  /** The bucket the archive consumer's event source mapping sends failed batches to. */
  archiveFailuresBucket: 'ARCHIVE_FAILURES_BUCKET',
  /** Retention of rooms without a policy: `forever` or a number of days. */
  defaultRetention: 'DEFAULT_RETENTION',
  /** How long a function instance reuses a room's policy, in seconds. */
  retentionCacheSeconds: 'RETENTION_CACHE_SECONDS',
  /** How long archive download links work, in seconds. */
  archiveLinkSeconds: 'ARCHIVE_LINK_SECONDS',
  /** The longest date range one getArchive request may span, in days. */
  archiveMaxRangeDays: 'ARCHIVE_MAX_RANGE_DAYS',
} as const;

/** A deleted room's purge. */
export const ROOM_PURGE_ENV = {
  /** The room-purge queue: deleteRoom enqueues a room's first job on it, the worker each next one. */
  queueUrl: 'ROOM_PURGE_QUEUE_URL',
} as const;

/** Room documents and their ingestion (docs/knowledge.md). */
export const DOCUMENTS_ENV = {
  /** The knowledge table: documents' records and their index's chunks. */
  knowledgeTable: 'KNOWLEDGE_TABLE',
  /** The documents bucket: one object per uploaded version. */
  bucket: 'DOCUMENTS_BUCKET',
  /** How long an upload link works, in seconds (default 300). */
  uploadSeconds: 'DOCUMENT_UPLOAD_SECONDS',
  /** The ingestion queue's maxReceiveCount: the delivery that marks a version failed before it is dead-lettered. */
  maxReceiveCount: 'DOCUMENT_MAX_RECEIVE_COUNT',
} as const;

/** Domain events (docs/events.md). */
export const EVENTS_ENV = {
  /** The event bus Parley publishes its domain events on. */
  busName: 'EVENT_BUS_NAME',
  /** The sample analytics consumer's bucket, where events land as gzip JSON Lines by date. */
  analyticsBucket: 'ANALYTICS_EVENTS_BUCKET',
} as const;

/** The HTTP API's keys and rooms' webhooks. */
export const INTEGRATIONS_ENV = {
  /** The integrations table: API keys and their usage, webhooks and their delivery log. */
  table: 'INTEGRATIONS_TABLE',
  /** Requests per minute an API key may make unless its owner set fewer (default 60). */
  apiKeyRatePerMinute: 'API_KEY_RATE_PER_MINUTE',
  /** The most requests per minute an owner may give a key (default 600). */
  apiKeyMaxRatePerMinute: 'API_KEY_MAX_RATE_PER_MINUTE',
} as const;

/** Rooms' outgoing webhooks (docs/webhooks.md). */
export const WEBHOOKS_ENV = {
  /** The WebhookDeliveries queue: the dispatcher enqueues one job per webhook and event on it. */
  deliveriesQueueUrl: 'WEBHOOK_DELIVERIES_QUEUE_URL',
  /** The first retry's longest wait in seconds, doubled for each next one (default 30). */
  retryBaseSeconds: 'WEBHOOK_RETRY_BASE_SECONDS',
  /** The longest wait between two attempts in seconds (default 900, SQS's longest visibility change allows more). */
  retryMaxSeconds: 'WEBHOOK_RETRY_MAX_SECONDS',
  /**
   * `true` lets webhooks target loopback addresses, over http too: set by the
   * local runtime for its functions, where receivers run on the same
   * machine; no configuration of the CDK app sets it.
   */
  allowLoopback: 'PARLEY_WEBHOOKS_ALLOW_LOOPBACK',
} as const;

/** Guests and their tokens (docs/widget.md). */
export const GUEST_ENV = {
  /** The secret that signs guest tokens: the token function signs with it, the authorizer verifies. */
  tokenSecret: 'GUEST_TOKEN_SECRET',
  /** The `aud` of guest tokens: the stage they are good for. */
  tokenAudience: 'GUEST_TOKEN_AUDIENCE',
  /** The WebSocket URL a guest connects to, handed out with the token. */
  wsUrl: 'GUEST_WS_URL',
  /** Guest tokens per source address: sustained per second (default 1)… */
  perIpPerSecond: 'GUEST_TOKENS_PER_IP_PER_SECOND',
  /** …and how many at once (default 5). */
  perIpBurst: 'GUEST_TOKENS_PER_IP_BURST',
  /** Guest tokens per room: sustained per second (default 5)… */
  perRoomPerSecond: 'GUEST_TOKENS_PER_ROOM_PER_SECOND',
  /** …and how many at once (default 50). */
  perRoomBurst: 'GUEST_TOKENS_PER_ROOM_BURST',
} as const;

/** Imposter rounds and guided dialogues (docs/games.md). */
export const GAMES_ENV = {
  /** The games table (games-schema.ts). */
  table: 'GAMES_TABLE',
  /** The imposter worker's queue: the AI's lines and the rounds' timers. */
  imposterJobsQueueUrl: 'IMPOSTER_JOBS_QUEUE_URL',
  /** The dialogue worker's queue: answering turns and resolving dialogues. */
  dialogueJobsQueueUrl: 'DIALOGUE_JOBS_QUEUE_URL',
  /** The model the games call (the agents' default model when unset). */
  modelId: 'GAMES_MODEL_ID',
} as const;

/** People and invitations. */
export const PEOPLE_ENV = {
  /** Who findUsers may return: `everyone` (default) or `sharedRooms`. */
  peopleSearch: 'PEOPLE_SEARCH',
  /** How long an invitation lasts, in days (default 7). */
  invitationDays: 'INVITATION_DAYS',
} as const;

// Each variable is read once per container; the getters below fail loudly
// on a missing or malformed value, at cold start rather than mid-request.
const cache = new Map<string, string | undefined>();

const read = (name: string): string | undefined => {
  if (!cache.has(name)) cache.set(name, process.env[name]);
  return cache.get(name);
};

/** The variable's value; throws when it is missing or empty. */
export function requireEnv(name: string): string {
  const value = read(name);
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}.`);
  }
  return value;
}

/** The variable's value, or undefined when it is missing or empty. */
export function optionalEnv(name: string): string | undefined {
  const value = read(name);
  return value === undefined || value === '' ? undefined : value;
}

/** A positive integer, or `fallback` when the variable is missing or empty; throws on anything else. */
export function intEnv(name: string, fallback: number): number {
  const raw = read(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Environment variable ${name} must be a positive integer, got "${raw}".`);
  }
  return value;
}

/** One of `choices`, or `fallback` when the variable is missing or empty; throws on anything else. */
export function choiceEnv<const Choice extends string>(name: string, choices: readonly Choice[], fallback: Choice): Choice {
  const raw = read(name);
  if (raw === undefined || raw === '') return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as Choice;
  throw new Error(`Environment variable ${name} must be ${choices.map((choice) => `"${choice}"`).join(' or ')}, got "${raw}".`);
}

/** The items of a comma-separated variable, trimmed; none when it is missing. */
export function listEnv(name: string): string[] {
  return (read(name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Forgets cached values; for tests that change the environment. */
export const resetEnvCache = (): void => cache.clear();
