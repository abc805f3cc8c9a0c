/**
 * Environment variables of the agents' functions, set by the function
 * construct's agent bindings (lib/constructs/parley-function.ts).
 */
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
  /** Moderation state new agent replies get: `allowed`, or `pending` when moderation runs. */
  replyModeration: 'AGENT_REPLY_MODERATION',
} as const;

/** The ids in a comma-separated list variable. */
export const listEnv = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
