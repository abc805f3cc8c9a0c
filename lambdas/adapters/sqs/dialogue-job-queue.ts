import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DialogueJobQueue } from '../../domain/games/dialogue-ports';
import type { DialogueJob } from '../../domain/games/jobs';

/** What makes a job one job: a turn's answer, or the resolution. */
const jobKey = (job: DialogueJob): string =>
  job.kind === 'dialogueTurn' ? `turn:${job.dialogueId}:${job.turn}` : `resolve:${job.dialogueId}`;

/**
 * The DialogueJobs queue. A job is a few ids; the worker checks the stored
 * dialogue before it acts, so a job delivered twice is harmless. On a FIFO
 * queue each dialogue is its own message group (its jobs in order) and a
 * job sent twice within the deduplication window is kept once.
 */
export class SqsDialogueJobQueue implements DialogueJobQueue {
  private readonly fifo: boolean;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.fifo = queueUrl.endsWith('.fifo');
  }

  async enqueue(job: DialogueJob): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        ...(this.fifo ? { MessageGroupId: job.dialogueId, MessageDeduplicationId: jobKey(job) } : {}),
      }),
    );
  }
}
