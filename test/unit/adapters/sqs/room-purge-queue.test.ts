import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsRoomPurgeQueue } from '../../../../lambdas/adapters/sqs/room-purge-queue';
import { FIRST_JOB_DELAY_SECONDS } from '../../../../lambdas/domain/room-purge';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/room-purge';

describe('SqsRoomPurgeQueue', () => {
  it('sends a next job as one JSON message, at once', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const job = { roomId: 'r1', deletedAt: '2026-12-06T10:00:00.000Z', phase: 'memory' as const, sequence: 4 };

    await new SqsRoomPurgeQueue(new SQSClient({}), QUEUE).enqueue(job);

    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: QUEUE, MessageBody: JSON.stringify(job) });
  });

  it('delays a room’s first job past the request that queued it', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const job = { roomId: 'r1', deletedAt: '2026-12-06T10:00:00.000Z', phase: 'messages' as const, sequence: 0 };

    await new SqsRoomPurgeQueue(new SQSClient({}), QUEUE).enqueue(job);

    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: QUEUE,
      MessageBody: JSON.stringify(job),
      DelaySeconds: FIRST_JOB_DELAY_SECONDS,
    });
  });

  it('lets a failed send throw, so the caller fails and is retried', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));

    await expect(
      new SqsRoomPurgeQueue(new SQSClient({}), QUEUE).enqueue({ roomId: 'r1', deletedAt: '2026-12-06T10:00:00.000Z', phase: 'messages', sequence: 0 }),
    ).rejects.toThrow('throttled');
  });
});
