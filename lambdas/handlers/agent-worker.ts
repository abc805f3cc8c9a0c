import middy from '@middy/core';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidJobError } from '../domain/agents/errors';
import { CIRCUIT_OPEN, circuitLevel } from '../domain/agents/circuit-breaker';
import { noMemory, type RoomMemory } from '../domain/agents/memory';
import { parseAgentJob, type AgentJob } from '../domain/agents/job';
import { DEFAULT_COALESCING, LARGE_ROOM_COALESCING } from '../domain/agents/coalescer';
import { DeliveryTally } from '../domain/delivery';
import { reportDelivery } from '../shared/delivery-report';
import { inTraceSubsegment, logger, metrics, traceHandler, traceIdOf } from '../shared/observability';
import { abandonJob, answerJob, type AnswerJobDeps } from '../use-cases/agents/answer-job';
import type { CircuitChange } from '../use-cases/agents/model-circuit';
import {
  agentMessageStore,
  agentRepository,
  circuitOptions,
  liveReplyStore,
  modelCircuitStore,
  modelClient,
  roomFeed,
  tokenLedger,
  workerJobQueue,
} from '../wiring/agents';
import { auditLog, connectionGateway, connectionRepository, nextId, systemClock } from '../wiring/chat';
import { AGENT_ENV, DOCUMENTS_ENV, MEMORY_ENV, intEnv } from '../wiring/env';
import { fanOutDeps } from '../wiring/fan-out';
import { documentSearch } from '../wiring/knowledge-index';
import { roomMemory } from '../wiring/memory';
import { retentionLookup } from '../wiring/retention';

const jobs = workerJobQueue();

/**
 * A circuit change this worker made: `ModelCircuitOpened` (by service, for
 * the alarm) when it opens, and the state as a gauge by model (0 closed,
 * 1 half open, 2 open; model ids are a bounded, configured list).
 */
const reportCircuitChange = ({ modelId, from, to }: CircuitChange): void => {
  logger[to.state === 'open' ? 'warn' : 'info']('model circuit changed', { modelId, from, to: to.state });
  if (to.state === 'open') metrics.addMetric('ModelCircuitOpened', MetricUnit.Count, 1);
  const single = metrics.singleMetric();
  single.addDimension('modelId', modelId);
  single.addMetric('ModelCircuitState', MetricUnit.Count, circuitLevel(to));
};

// Room memory is there when the function has the memory table's read binding.
const memory: RoomMemory = process.env[MEMORY_ENV.table] ? roomMemory() : noMemory;
// The room's documents, for agents given `search_documents`, when the function has the knowledge table.
const documents = process.env[DOCUMENTS_ENV.knowledgeTable] ? documentSearch() : undefined;
const deps: AnswerJobDeps = {
  agents: agentRepository(),
  messages: agentMessageStore(),
  retention: retentionLookup(),
  ledger: tokenLedger(),
  model: modelClient(),
  memory,
  // A large room's reply goes through the sharded fan-out, as people's messages do.
  feed: roomFeed({ connections: connectionRepository(), gateway: connectionGateway(), fanOut: fanOutDeps() }),
  jobs,
  audit: auditLog(),
  clock: systemClock,
  nextId,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  retry: { attempts: 3, baseMs: 400, maxMs: 4000 },
  coalescing: DEFAULT_COALESCING,
  largeRoomCoalescing: LARGE_ROOM_COALESCING,
  liveReplies: liveReplyStore(),
  circuit: { store: modelCircuitStore(), options: circuitOptions(), onChange: reportCircuitChange },
  ...(documents ? { documents } : {}),
};
const maxReceiveCount = intEnv(AGENT_ENV.maxReceiveCount, 3);
const processor = new SqsFifoPartialProcessorAsync();

/** Seconds before a failed job is tried again: 5, 10, 20… rather than the whole visibility timeout. */
const retryDelaySeconds = (receiveCount: number): number => Math.min(60, 5 * 2 ** (receiveCount - 1));

const answerRecord = async (record: SQSRecord): Promise<void> => {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
  const job = (() => {
    try {
      return parseAgentJob(record.body);
    } catch (error) {
      // Not a job Parley wrote: no retry can fix it, and there is no room to tell.
      logger.error('agent job unreadable', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  })();
  // Lambda links this invocation's trace to the dispatch's through the job's
  // AWSTraceHeader; the annotations find both by the message answered.
  const dispatchTraceId = traceIdOf(record.attributes.AWSTraceHeader);
  await inTraceSubsegment(
    '### answer agent job',
    {
      messageId: job.triggerMessageId,
      roomId: job.roomId,
      agent: job.handle,
      ...(dispatchTraceId !== undefined ? { dispatchTraceId } : {}),
    },
    () => answerParsedJob(record, job, receiveCount),
  );
};

const answerParsedJob = async (record: SQSRecord, job: AgentJob, receiveCount: number): Promise<void> => {
  logger.appendKeys({ roomId: job.roomId, agent: job.handle });
  // Every frame of the job (deltas, the final one, notices) is tallied, so its failed posts are reported once.
  const delivered = new DeliveryTally();
  const jobDeps: AnswerJobDeps = {
    ...deps,
    feed: {
      publish: async (roomId, frame) => {
        // A sharded frame's posts are the fan-out workers' to report.
        const delivery = await deps.feed.publish(roomId, frame);
        delivered.add(delivery);
        return delivery;
      },
    },
  };
  try {
    const outcome = await answerJob(jobDeps, job, { receiveCount, maxReceiveCount });
    metrics.addMetric(`AgentJob_${outcome.kind}`, MetricUnit.Count, 1);
    // Refused or cut short by an open circuit: a known cause, not a mystery in the dead-letter queue.
    if (outcome.kind === 'unavailable' && outcome.reason === CIRCUIT_OPEN) metrics.addMetric('AgentJob_circuitOpen', MetricUnit.Count, 1);
    if ('posts' in outcome) {
      metrics.addMetric('AgentReplyPosts', MetricUnit.Count, outcome.posts);
      metrics.addMetric('AgentReplyDeltas', MetricUnit.Count, outcome.deltas);
      if (outcome.firstPostMs !== undefined) metrics.addMetric('AgentFirstPostLatency', MetricUnit.Milliseconds, outcome.firstPostMs);
      metrics.addMetric('AgentReplyLatency', MetricUnit.Milliseconds, outcome.replyMs);
      metrics.addMetric('AgentInputTokens', MetricUnit.Count, outcome.inputTokens);
      metrics.addMetric('AgentOutputTokens', MetricUnit.Count, outcome.outputTokens);
      if (outcome.toolCalls !== undefined) metrics.addMetric('AgentToolCalls', MetricUnit.Count, outcome.toolCalls);
    }
    const { failed } = delivered.report;
    // Failed posts mean part of the room missed the reply: not a job that went well.
    logger[failed > 0 ? 'warn' : 'info']('agent job done', {
      messageId: job.triggerMessageId,
      outcome: outcome.kind,
      failedPosts: failed,
      ...('why' in outcome ? { why: outcome.why } : {}),
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      ...(outcome.kind === 'unavailable' && outcome.modelCalls !== undefined ? { modelCalls: outcome.modelCalls } : {}),
      ...('posts' in outcome
        ? {
            deltas: outcome.deltas,
            flushes: outcome.flushes,
            posts: outcome.posts,
            modelCalls: outcome.modelCalls,
            firstPostMs: outcome.firstPostMs,
            ...(outcome.toolCalls !== undefined ? { toolCalls: outcome.toolCalls } : {}),
          }
        : {}),
    });
  } catch (error) {
    if (receiveCount >= maxReceiveCount && !(error instanceof InvalidJobError)) {
      // The last delivery: tell the room and dead-letter the job with its reason.
      // Should that fail too, the failure below lets SQS redrive it to the DLQ.
      logger.error('agent job abandoned', { messageId: job.triggerMessageId, receiveCount, error: error as Error });
      await abandonJob(jobDeps, job, {
        reason: error instanceof Error ? error.name : 'Unknown',
        error: error instanceof Error ? error.message : String(error),
        attempts: receiveCount,
      });
      metrics.addMetric('AgentJob_unavailable', MetricUnit.Count, 1);
      return;
    }
    logger.warn('agent job failed; it will be retried', { messageId: job.triggerMessageId, receiveCount, error: error as Error });
    await jobs.retryAfter(record.receiptHandle, retryDelaySeconds(receiveCount)).catch(() => undefined);
    throw error;
  } finally {
    reportDelivery(delivered.report, { messageId: job.triggerMessageId });
    logger.removeKeys(['roomId', 'agent']);
  }
};

/**
 * Answers agent jobs from the FIFO queue. Records of one message group (a
 * room's agent) are answered in order; when one fails, the group's later
 * records in the batch fail with it and the other groups go on
 * (`skipGroupOnError`). Failures are reported in the partial batch
 * response, and the failed job comes back after a short delay.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, answerRecord, processor, {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    }),
  );
