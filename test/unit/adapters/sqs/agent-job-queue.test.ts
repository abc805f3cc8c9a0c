import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsAgentJobQueue } from '../../../../lambdas/adapters/sqs/agent-job-queue';
import type { AgentJob } from '../../../../lambdas/domain/agents/job';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/agent-jobs.fifo';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/1/agent-jobs-dlq.fifo';
const job = (n: number): AgentJob => ({ roomId: 'r1', handle: 'assistant', triggerMessageId: `M${n}`, reason: 'mention', replyDepth: 1 });

describe('SqsAgentJobQueue', () => {
  it('enqueues jobs in batches of ten, grouped by room and agent and deduplicated by message and agent', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE, DLQ);

    await queue.enqueue(Array.from({ length: 12 }, (_, i) => job(i)));

    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    const first = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input;
    expect(first?.Entries).toHaveLength(10);
    expect(first?.Entries?.[3]).toEqual({
      Id: '3',
      MessageBody: JSON.stringify(job(3)),
      MessageGroupId: 'r1#assistant',
      MessageDeduplicationId: 'M3#assistant',
    });
  });

  it('sends the enqueuing trace’s header with every job, so the worker’s trace links to it', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE, DLQ, () => header);

    await queue.enqueue([job(1), job(2)]);

    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries.map((e) => e.MessageSystemAttributes)).toEqual([
      { AWSTraceHeader: { DataType: 'String', StringValue: header } },
      { AWSTraceHeader: { DataType: 'String', StringValue: header } },
    ]);
  });

  it('sends no trace header when tracing is off', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE, DLQ, () => undefined);

    await queue.enqueue([job(1)]);

    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]).not.toHaveProperty('MessageSystemAttributes');
  });

  it('fails when SQS refuses any job of a batch', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE, DLQ);

    await expect(queue.enqueue([job(1)])).rejects.toThrow('1 of 1 agent jobs were not enqueued (InternalError)');
  });

  it('dead-letters a job with its reason as message attributes', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE, DLQ);

    await queue.deadLetter(job(1), { reason: 'ThrottlingException', error: 'Too many requests', attempts: 3 });

    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: DLQ,
      MessageBody: JSON.stringify(job(1)),
      MessageGroupId: 'r1#assistant',
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: 'ThrottlingException' },
        error: { DataType: 'String', StringValue: 'Too many requests' },
        attempts: { DataType: 'Number', StringValue: '3' },
      },
    });
  });

  it('refuses to dead-letter without a dead-letter queue (the dispatcher has none)', async () => {
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE);

    await expect(queue.deadLetter(job(1), { reason: 'x', error: 'y', attempts: 1 })).rejects.toThrow('no dead-letter queue');
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('makes a failed job visible again after a short delay', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = new SqsAgentJobQueue(new SQSClient({}), QUEUE, DLQ);

    await queue.retryAfter('receipt-1', 4.6);

    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      QueueUrl: QUEUE,
      ReceiptHandle: 'receipt-1',
      VisibilityTimeout: 5,
    });
  });
});
