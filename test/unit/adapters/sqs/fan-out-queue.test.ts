import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsFanOutQueue } from '../../../../lambdas/adapters/sqs/fan-out-queue';
import { jobBytes, MAX_JOB_BYTES, planFanOut, type FanOutJob } from '../../../../lambdas/domain/fan-out';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/fan-out-jobs.fifo';
const job = (shard: number, connectionIds = ['c1']): FanOutJob => ({
  roomId: 'r1',
  messageId: 'M1',
  group: 7,
  shard,
  attempt: 1,
  frame: '{"type":"message"}',
  connectionIds,
});

describe('SqsFanOutQueue', () => {
  it('enqueues jobs in batches of ten, grouped by room and connection group, deduplicated by message, group, shard and attempt', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsFanOutQueue(new SQSClient({}), QUEUE);

    await queue.enqueue(Array.from({ length: 12 }, (_, i) => job(i)));

    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    const first = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input;
    expect(first?.QueueUrl).toBe(QUEUE);
    expect(first?.Entries).toHaveLength(10);
    expect(first?.Entries?.[3]).toEqual({
      Id: '3',
      MessageBody: JSON.stringify(job(3)),
      MessageGroupId: 'r1#7',
      MessageDeduplicationId: 'M1#7#3#1',
    });
  });

  it('keeps each request within SQS’s request size', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    const ids = Array.from({ length: 20_000 }, (_, i) => `connection-${i}-${'x'.repeat(40)}`);
    const frame = JSON.stringify({ type: 'message', text: 'y'.repeat(30_000) });
    const jobs = planFanOut({ roomId: 'r1', messageId: 'M1', frame, connectionIds: ids, shardSize: 500 });

    await new SqsFanOutQueue(new SQSClient({}), QUEUE).enqueue(jobs);

    const requests = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(requests.flat()).toHaveLength(jobs.length);
    for (const entries of requests) {
      const bytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
      expect(bytes).toBeLessThanOrEqual(MAX_JOB_BYTES);
    }
    expect(jobs.every((j) => jobBytes(j) <= MAX_JOB_BYTES)).toBe(true);
  });

  it('sends the enqueuing trace’s header with every job, so the worker’s trace links to the send', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

    await new SqsFanOutQueue(new SQSClient({}), QUEUE, () => header).enqueue([job(0)]);

    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      Entries: [expect.objectContaining({ MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: header } } })],
    });
  });

  it('sends once more the entries SQS failed for a reason of its own', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Failed: [] });

    await new SqsFanOutQueue(new SQSClient({}), QUEUE).enqueue([job(0), job(1)]);

    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries?.map((e) => e.Id)).toEqual(['1']);
  });

  it('throws when SQS refuses an entry for the sender’s fault, or twice', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InvalidParameterValue', SenderFault: true }] });
    await expect(new SqsFanOutQueue(new SQSClient({}), QUEUE).enqueue([job(0)])).rejects.toThrow(
      /1 of 1 fan-out jobs were not enqueued \(InvalidParameterValue\)/,
    );

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(new SqsFanOutQueue(new SQSClient({}), QUEUE).enqueue([job(0)])).rejects.toThrow(/InternalError/);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
  });
});
