import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ParleyError } from '../../domain/errors';
import { type DeliveryJob, type DeliveryQueue, MAX_RETRY_DELAY_SECONDS } from '../../domain/integrations/webhooks';

const BATCH = 10;

/**
 * The WebhookDeliveries queue (standard: deliveries need no order, and a
 * receiver drops a repeat by its `webhook-id`). The dispatcher enqueues one
 * job per webhook; the deliverer brings a failed job back after its backoff.
 */
export class SqsWebhookDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: readonly DeliveryJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += BATCH) {
      const batch = jobs.slice(start, start + BATCH);
      const { Failed } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
        }),
      );
      if (Failed && Failed.length > 0) {
        const codes = [...new Set(Failed.map((f) => f.Code ?? 'Unknown'))].join(', ');
        throw new ParleyError(`${Failed.length} of ${batch.length} webhook deliveries were not enqueued (${codes}).`);
      }
    }
  }

  /** Makes a failed delivery visible again after `seconds` (its backoff), instead of the queue's visibility timeout. */
  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(seconds))),
      }),
    );
  }
}
