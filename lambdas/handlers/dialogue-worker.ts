import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { parseDialogueJob } from '../domain/games/dialogue-rules';
import type { DialogueJob } from '../domain/games/jobs';
import { reportDelivery } from '../shared/delivery-report';
import { logger, metrics } from '../shared/observability';
import { sqsJobConsumer } from '../shared/queue-consumer';
import { answerTurn } from '../use-cases/games/dialogue/answer-turn';
import { resolveDialogue } from '../use-cases/games/dialogue/resolve-dialogue';
import { dialogueWorkerDeps } from '../wiring/dialogue';

const deps = dialogueWorkerDeps();

const readJob = (record: SQSRecord): DialogueJob => {
  try {
    return parseDialogueJob(record.body);
  } catch (error) {
    // Not a job Parley wrote: retried, then dead-lettered, where the alarm tells an operator.
    logger.error('dialogue job unreadable', { messageId: record.messageId, error: error as Error });
    metrics.addMetric('DialogueJobFailures', MetricUnit.Count, 1);
    throw error;
  }
};

/** Logs and counts what the model got wrong: each failed attempt, a kept state, a fallback outcome. */
function reportModel(fields: Record<string, unknown>, failures: readonly string[], gaveUp: boolean, what: 'stateKept' | 'fallbackOutcome'): void {
  if (failures.length === 0) return;
  metrics.addMetric('DialogueModelFailures', MetricUnit.Count, failures.length);
  if (gaveUp) metrics.addMetric(what === 'stateKept' ? 'DialogueStateKept' : 'DialogueFallbackOutcomes', MetricUnit.Count, 1);
  logger.warn(gaveUp ? `dialogue model answer unusable: ${what}` : 'dialogue model answer retried', { ...fields, failures });
}

const runJob = async (record: SQSRecord): Promise<void> => {
  const job = readJob(record);
  const fields = { roomId: job.roomId, dialogueId: job.dialogueId, kind: job.kind, ...(job.kind === 'dialogueTurn' ? { turn: job.turn } : { reason: job.reason }) };
  try {
    if (job.kind === 'dialogueTurn') {
      const outcome = await answerTurn(deps, job);
      if (outcome.kind === 'skipped') return logger.info('dialogue turn skipped', { ...fields, why: outcome.why });
      reportModel(fields, outcome.failures, outcome.stateKept, 'stateKept');
      reportDelivery(outcome.delivery, fields);
      logger.info('dialogue turn answered', { ...fields, stateKept: outcome.stateKept, ...(outcome.resolving ? { resolving: outcome.resolving } : {}) });
    } else {
      const outcome = await resolveDialogue(deps, job);
      if (outcome.kind === 'skipped') return logger.info('dialogue resolution skipped', { ...fields, why: outcome.why });
      reportModel(fields, outcome.failures, outcome.fallback, 'fallbackOutcome');
      reportDelivery(outcome.delivery, fields);
      logger.info('dialogue resolved', { ...fields, fallback: outcome.fallback });
    }
  } catch (error) {
    // The job comes back whole: the stored state tells the next attempt what is done.
    logger.error('dialogue job failed; it will be retried', { ...fields, error: error as Error });
    metrics.addMetric('DialogueJobFailures', MetricUnit.Count, 1);
    throw error;
  }
};

/**
 * The dialogue worker, from the DialogueJobs queue: answers a player's turn
 * (the characters' replies and new state) or resolves a dialogue (its
 * outcome). A failed job is reported in the partial batch response,
 * retried, and dead-lettered after its last attempt.
 */
export const handler = sqsJobConsumer(runJob);
