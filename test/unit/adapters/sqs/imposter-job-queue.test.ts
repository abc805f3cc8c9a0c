import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsImposterJobQueue } from '../../../../lambdas/adapters/sqs/imposter-job-queue';
import type { ImposterJob } from '../../../../lambdas/domain/games/jobs';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/imposter-jobs';
const timer: ImposterJob = { kind: 'roundTimer', roomId: 'r1', roundId: '01JZ0000000000000000000000' };

describe('SqsImposterJobQueue', () => {
  it('sends a job as one JSON message with its own delay', async () => {
    sqs.on(SendMessageCommand).resolves({});

    await new SqsImposterJobQueue(new SQSClient({}), QUEUE).enqueue(timer, 45);

    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: QUEUE, MessageBody: JSON.stringify(timer), DelaySeconds: 45 });
  });

  it('keeps the delay within what SQS accepts, and sends a due job at once', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const queue = new SqsImposterJobQueue(new SQSClient({}), QUEUE);

    await queue.enqueue(timer, 3600);
    await queue.enqueue(timer, 0);

    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.DelaySeconds).toBe(900);
    expect(sqs.commandCalls(SendMessageCommand)[1]!.args[0].input).toEqual({ QueueUrl: QUEUE, MessageBody: JSON.stringify(timer) });
  });

  it('lets a failed send throw, so the request that scheduled it fails', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));
    await expect(new SqsImposterJobQueue(new SQSClient({}), QUEUE).enqueue(timer, 5)).rejects.toThrow('throttled');
  });
});
