import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ImposterJobQueue } from '../../domain/games/imposter-ports';
import { MAX_QUEUE_DELAY_SECONDS, type ImposterJob } from '../../domain/games/jobs';

/**
 * The ImposterJobs queue: a standard queue, because only a standard queue
 * delays each message on its own (a round's timer, the AI's pause before a
 * line). Jobs are safe to run twice (jobs.ts), so standard delivery's
 * occasional duplicate is harmless. A job is a few hundred bytes of ids.
 */
export class SqsImposterJobQueue implements ImposterJobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: ImposterJob, delaySeconds: number): Promise<void> {
    const delay = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.round(delaySeconds)));
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        ...(delay > 0 ? { DelaySeconds: delay } : {}),
      }),
    );
  }
}
