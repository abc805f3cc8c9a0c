import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ParleyError } from '../../domain/errors';
import { jobDeduplicationId, jobGroupId, type AgentJob } from '../../domain/agents/job';
import type { AgentJobQueue } from '../../domain/agents/ports';

const BATCH = 10;

/**
 * The agents' FIFO job queue and its dead-letter queue. Each room and agent
 * is one message group (answers in order, one at a time); the message id
 * and handle deduplicate, so a job enqueued twice within SQS's five-minute
 * window is accepted once.
 */
export class SqsAgentJobQueue implements AgentJobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /** Only the worker dead-letters jobs; the dispatcher has no access to that queue. */
    private readonly deadLetterQueueUrl?: string,
    /**
     * The X-Ray trace header of the work enqueuing the jobs, sent as each
     * job's `AWSTraceHeader` so the worker's trace links to the message's
     * dispatch; none when tracing is off.
     */
    private readonly traceHeader: () => string | undefined = () => undefined,
  ) {}

  async enqueue(jobs: readonly AgentJob[]): Promise<void> {
    const traceHeader = this.traceHeader();
    for (let start = 0; start < jobs.length; start += BATCH) {
      const batch = jobs.slice(start, start + BATCH);
      const { Failed } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((job, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(job),
            MessageGroupId: jobGroupId(job),
            MessageDeduplicationId: jobDeduplicationId(job),
            ...(traceHeader !== undefined
              ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } } }
              : {}),
          })),
        }),
      );
      if (Failed && Failed.length > 0) {
        const codes = [...new Set(Failed.map((f) => f.Code ?? 'Unknown'))].join(', ');
        throw new ParleyError(`${Failed.length} of ${batch.length} agent jobs were not enqueued (${codes}).`);
      }
    }
  }

  /** Sends the job to the dead-letter queue with why it failed, as message attributes. */
  async deadLetter(job: AgentJob, failure: { reason: string; error: string; attempts: number }): Promise<void> {
    if (this.deadLetterQueueUrl === undefined) throw new ParleyError('This function has no dead-letter queue for agent jobs.');
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: JSON.stringify(job),
        MessageGroupId: jobGroupId(job),
        MessageDeduplicationId: `${jobDeduplicationId(job)}#dead`,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: failure.reason.slice(0, 256) || 'Unknown' },
          error: { DataType: 'String', StringValue: failure.error.slice(0, 1024) || 'Unknown' },
          attempts: { DataType: 'Number', StringValue: String(failure.attempts) },
        },
      }),
    );
  }

  /** Makes a failed job visible again after `seconds` rather than after the full visibility timeout. */
  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }
}
