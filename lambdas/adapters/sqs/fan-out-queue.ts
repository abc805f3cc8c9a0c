import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { ParleyError } from '../../domain/errors';
import {
  batchesOf,
  fanOutDeduplicationId,
  fanOutGroupId,
  jobBytes,
  type FanOutJob,
  type FanOutQueue,
} from '../../domain/fan-out';

/**
 * The FIFO fan-out queue. Each job goes to its room's group (one connection
 * is always in the same group, so its frames keep their order) with a
 * deduplication id of message, group, shard and attempt, so a job enqueued
 * twice within SQS's five-minute window is accepted once. Jobs are sent ten
 * to a request, within SQS's request size; entries SQS refuses for a reason
 * of its own are sent once more before the call fails.
 */
export class SqsFanOutQueue implements FanOutQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /**
     * The X-Ray trace header of the work enqueuing the jobs, sent as each
     * job's `AWSTraceHeader` so the worker's trace links to the message's
     * sendMessage; none when tracing is off.
     */
    private readonly traceHeader: () => string | undefined = () => undefined,
  ) {}

  async enqueue(jobs: readonly FanOutJob[]): Promise<void> {
    const traceHeader = this.traceHeader();
    const entries = jobs.map((job, index) => ({ job, bytes: jobBytes(job), id: String(index) }));
    for (const batch of batchesOf(entries, (entry) => entry.bytes)) {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        const { Failed } = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: pending.map(({ job, id }): SendMessageBatchRequestEntry => ({
              Id: id,
              MessageBody: JSON.stringify(job),
              MessageGroupId: fanOutGroupId(job),
              MessageDeduplicationId: fanOutDeduplicationId(job),
              ...(traceHeader !== undefined
                ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } } }
                : {}),
            })),
          }),
        );
        const failed = new Map((Failed ?? []).map((f) => [f.Id, f]));
        if (failed.size === 0) break;
        const senderFault = [...failed.values()].some((f) => f.SenderFault === true);
        if (senderFault || attempt >= 2) {
          const codes = [...new Set([...failed.values()].map((f) => f.Code ?? 'Unknown'))].join(', ');
          throw new ParleyError(`${failed.size} of ${jobs.length} fan-out jobs were not enqueued (${codes}).`);
        }
        pending = pending.filter((entry) => failed.has(entry.id));
      }
    }
  }
}
