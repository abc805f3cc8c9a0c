import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { parseImposterJob } from '../domain/games/imposter-jobs';
import type { ImposterJob } from '../domain/games/jobs';
import { reportDelivery } from '../shared/delivery-report';
import { logger, metrics } from '../shared/observability';
import { sqsJobConsumer } from '../shared/queue-consumer';
import { runRoundTimer } from '../use-cases/games/imposter/run-round-timer';
import { takeAgentTurn } from '../use-cases/games/imposter/take-agent-turn';
import { agentTurnDeps, imposterDeps } from '../wiring/imposter';

const deps = imposterDeps();
const turnDeps = agentTurnDeps(deps);

async function runJob(job: ImposterJob): Promise<void> {
  const fields = { roomId: job.roomId, roundId: job.roundId, kind: job.kind };
  if (job.kind === 'roundTimer') {
    const result = await runRoundTimer(deps, job);
    if (result.outcome === 'ended') {
      reportDelivery(result.ended.delivery, fields);
      metrics.addMetric('ImposterRoundsEnded', MetricUnit.Count, 1);
    }
    logger.info('round timer ran', { ...fields, outcome: result.outcome });
    return;
  }
  const turn = await takeAgentTurn(turnDeps, job);
  if (turn.outcome === 'written') {
    reportDelivery(turn.delivery, fields);
    metrics.addMetric('ImposterLinesWritten', MetricUnit.Count, 1);
    logger.info('imposter line written', { ...fields, afterLines: job.afterLines, seq: turn.line.seq });
    return;
  }
  metrics.addMetric('ImposterLinesSkipped', MetricUnit.Count, 1);
  logger.info('imposter line skipped', { ...fields, afterLines: job.afterLines, reason: turn.reason });
}

const processRecord = async (record: SQSRecord): Promise<void> => {
  let job: ImposterJob;
  try {
    job = parseImposterJob(record.body);
  } catch (error) {
    // Not a job Parley wrote: retried, then dead-lettered, where the alarm tells an operator.
    logger.error('imposter job unreadable', { messageId: record.messageId, error: error as Error });
    metrics.addMetric('ImposterJobFailures', MetricUnit.Count, 1);
    throw error;
  }
  try {
    await runJob(job);
  } catch (error) {
    // The job comes back whole: each step checks the stored round first, so repeating it is safe.
    logger.error('imposter job failed; it will be retried', { roomId: job.roomId, roundId: job.roundId, kind: job.kind, error: error as Error });
    metrics.addMetric('ImposterJobFailures', MetricUnit.Count, 1);
    throw error;
  }
};

/**
 * The imposter worker, from the ImposterJobs queue: the AI's turns
 * (`imposterLine`) and the rounds' timers (`roundTimer`), one record at a
 * time with partial batch failures. A failure is retried and, in the end,
 * dead-lettered (its queue has an alarm).
 */
export const handler = sqsJobConsumer(processRecord);
