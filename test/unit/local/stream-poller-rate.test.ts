import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamPoller } from '../../../scripts/local/event-sources/stream-poller';
import type { LocalEventSourceMapping } from '../../../scripts/local/model';

const mapping: LocalEventSourceMapping = {
  id: 'Stack/Mapping',
  functionKey: 'Stack/Consumer',
  kind: 'dynamodb',
  sourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/1',
  batchSize: 100,
  batchingWindowSeconds: 0,
  startingPosition: 'LATEST',
  filterPatterns: [],
  bisectOnError: false,
  reportBatchItemFailures: false,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
  enabled: true,
  parallelizationFactor: 1,
};

/** One open shard with new records at every read: `pages[i]` at the i-th read, then `pages`' last. */
const busyStream = (...pages: number[]) => {
  let sequence = 0;
  const reads: number[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        return { StreamDescription: { Shards: [{ ShardId: 'shard-1', SequenceNumberRange: { StartingSequenceNumber: '1' } }] } };
      }
      if (command instanceof GetShardIteratorCommand) return { ShardIterator: 'iterator' };
      if (command instanceof GetRecordsCommand) {
        reads.push(Date.now());
        const perPage = pages[Math.min(reads.length, pages.length) - 1] as number;
        const Records = Array.from({ length: perPage }, () => {
          sequence += 1;
          return { eventID: String(sequence), eventName: 'INSERT', dynamodb: { SequenceNumber: String(sequence), Keys: { pk: { S: 'k' } } } };
        });
        return { Records, NextShardIterator: 'iterator' };
      }
      throw new Error('unexpected command');
    },
  } as unknown as DynamoDBStreamsClient;
  return { client, reads };
};

const pollerOn = (client: DynamoDBStreamsClient, delivered: number[]) =>
  new StreamPoller({
    mapping,
    client,
    region: 'us-east-1',
    invoke: async (event) => {
      delivered.push((event as { Records: unknown[] }).Records.length);
      return { ok: true, result: undefined };
    },
    sendToFailureDestination: async () => undefined,
  });

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('StreamPoller polling rate', () => {
  it('reads a busy shard four times a second, as Lambda polls it', async () => {
    const { client, reads } = busyStream(3);
    const delivered: number[] = [];
    const poller = pollerOn(client, delivered);

    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = poller.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;

    // Polls start at 0, 250, 500, 750 and 1000 ms.
    const firstSecond = reads.filter((at) => at - (reads[0] as number) < 1_000);
    expect(firstSecond).toHaveLength(4);
    expect(delivered.slice(0, 4)).toEqual([3, 3, 3, 3]);
  });

  it('reads on at once after a full page, a backlog', async () => {
    const { client, reads } = busyStream(1_000, 1_000, 5);
    const poller = pollerOn(client, []);

    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = poller.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;

    // Two full pages and the short one after them are read without waiting.
    expect(reads.filter((at) => at === reads[0])).toHaveLength(3);
  });
});
