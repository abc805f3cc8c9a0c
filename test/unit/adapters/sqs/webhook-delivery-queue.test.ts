import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsWebhookDeliveryQueue } from '../../../../lambdas/adapters/sqs/webhook-delivery-queue';
import type { DeliveryJob } from '../../../../lambdas/domain/integrations/webhooks';

describe('SqsWebhookDeliveryQueue', () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());
  const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/deliveries';
  const job = (webhookId: string): DeliveryJob => ({
    roomId: 'r1',
    webhookId,
    event: { id: 'e', type: 'room.deleted', version: 1, occurredAt: '2026-12-06T10:00:00.000Z', roomId: 'r1', data: {} },
  });

  it('enqueues jobs ten at a time and throws naming those refused', async () => {
    sqs.on(SendMessageBatchCommand).resolvesOnce({ Successful: [] }).resolvesOnce({ Failed: [{ Id: '0', Code: 'Throttled', SenderFault: false }] });
    const queue = new SqsWebhookDeliveryQueue(new SQSClient({ region: 'eu-west-1' }), QUEUE);
    const jobs = Array.from({ length: 11 }, (_, i) => job(`W${i}`));

    await expect(queue.enqueue(jobs)).rejects.toThrow(/1 of 1 webhook deliveries were not enqueued \(Throttled\)/);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 1]);
    expect(JSON.parse(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!.MessageBody!)).toEqual(job('W0'));
  });

  it('sets a failed delivery’s visibility to its backoff, within SQS’s bounds', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = new SqsWebhookDeliveryQueue(new SQSClient({ region: 'eu-west-1' }), QUEUE);

    await queue.retryAfter('handle-1', 61.4);
    await queue.retryAfter('handle-2', 99_999);

    expect(sqs).toHaveReceivedNthCommandWith(ChangeMessageVisibilityCommand, 1, { QueueUrl: QUEUE, ReceiptHandle: 'handle-1', VisibilityTimeout: 61 });
    expect(sqs).toHaveReceivedNthCommandWith(ChangeMessageVisibilityCommand, 2, { ReceiptHandle: 'handle-2', VisibilityTimeout: 900 });
  });
});
