import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueuePoller } from '../../../scripts/local/event-sources/queue-poller';
import type { LocalEventSourceMapping, LocalQueue } from '../../../scripts/local/model';

const queue: LocalQueue = {
  key: 'Stack/Queue',
  name: 'events',
  url: 'http://127.0.0.1:1/000000000000/events',
  arn: 'arn:aws:sqs:us-east-1:000000000000:events',
  fifo: false,
  attributes: {},
  rawProperties: {},
};

const mapping = (batchingWindowSeconds: number, batchSize: number): LocalEventSourceMapping => ({
  id: 'Stack/Mapping',
  functionKey: 'Stack/Consumer',
  kind: 'sqs',
  sourceArn: queue.arn,
  batchSize,
  batchingWindowSeconds,
  // What the model sets when a mapping has none; a queue's poller never reads it.
  startingPosition: 'TRIM_HORIZON',
  filterPatterns: [],
  bisectOnError: false,
  reportBatchItemFailures: false,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
  enabled: true,
  parallelizationFactor: 1,
});

/**
 * A queue that gains one message every `everyMs` until `total` were sent;
 * reads take up to MaxNumberOfMessages of what is there, long polls wait
 * for the first message. Counts every read.
 */
const tricklingQueue = (everyMs: number, total: number) => {
  const waiting: Message[] = [];
  let sent = 0;
  let reads = 0;
  const timer = setInterval(() => {
    if (sent >= total) return;
    sent += 1;
    waiting.push({ MessageId: `m${sent}`, ReceiptHandle: `r${sent}`, Body: `{"n":${sent}}` });
  }, everyMs);
  const client = {
    send: async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
      if (command instanceof ReceiveMessageCommand) {
        reads += 1;
        const { MaxNumberOfMessages = 1, WaitTimeSeconds = 0 } = command.input;
        const until = Date.now() + WaitTimeSeconds * 1000;
        while (waiting.length === 0 && Date.now() < until && !options?.abortSignal?.aborted) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return { Messages: waiting.splice(0, MaxNumberOfMessages) };
      }
      if (command instanceof DeleteMessageBatchCommand) return { Successful: [], Failed: [] };
      throw new Error('unexpected command');
    },
  } as unknown as SQSClient;
  return { client, reads: () => reads, stop: () => clearInterval(timer) };
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Runs one poller over `source` for `runMs`, then stops it; returns each
 * batch's size and how many reads the queue had seen when it was invoked.
 */
async function poll(source: ReturnType<typeof tricklingQueue>, windowSeconds: number, batchSize: number, runMs: number) {
  const batches: number[] = [];
  const readsBefore: number[] = [];
  const poller = new QueuePoller({
    mapping: mapping(windowSeconds, batchSize),
    queue,
    sqs: source.client,
    region: 'us-east-1',
    concurrency: 1,
    invoke: async (event) => {
      batches.push((event as { Records: unknown[] }).Records.length);
      readsBefore.push(source.reads());
      return { ok: true, result: undefined };
    },
  });
  poller.start();
  await vi.advanceTimersByTimeAsync(runMs);
  const stopping = poller.stop();
  await vi.advanceTimersByTimeAsync(3_000);
  await stopping;
  source.stop();
  return { batches, readsBefore };
}

describe('QueuePoller batching window', () => {
  it('fills a batch over its window with four reads a second, not a read per arriving message', async () => {
    // 100 messages a second for the whole of a 2 s window.
    const { batches, readsBefore } = await poll(tricklingQueue(10, 200), 2, 1_000, 2_100);

    // A read takes ten messages at most: every 250 ms, the 25 that arrived
    // take three reads (10, 10, 5), over the 2 s window and once at its end.
    // Reading again whenever a read returned anything took 80 reads here.
    expect(readsBefore[0]).toBeGreaterThanOrEqual(20);
    expect(readsBefore[0]).toBeLessThanOrEqual(28);
    // Every message that arrived within the window is in its one batch.
    expect(batches[0]).toBeGreaterThanOrEqual(195);
    expect(batches[0]).toBeLessThanOrEqual(200);
  });

  it('reads a backlog on at once: a full read does not wait', async () => {
    const source = tricklingQueue(1, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);

    const { batches, readsBefore } = await poll(source, 20, 100, 0);

    // Ten reads of ten fill the batch of 100 without waiting for the 20 s window.
    expect(batches[0]).toBe(100);
    expect(readsBefore[0]).toBe(10);
  });
});
