import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LocalEventSourceMapping, LocalQueue } from '../model';
import { matchesFilters } from './filter';
import type { BatchInvoker, BatchLogEntry } from './types';

export interface QueuePollerOptions {
  readonly mapping: LocalEventSourceMapping;
  readonly queue: LocalQueue;
  readonly sqs: SQSClient;
  readonly region: string;
  readonly invoke: BatchInvoker;
  /** Pollers running at once (Lambda scales pollers with the queue; bounded here). */
  readonly concurrency: number;
  readonly onBatch?: (entry: BatchLogEntry) => void;
}

/** Time between the starts of two reads that fill a batch within its window, once the queue is drained. */
const FILL_INTERVAL_MS = 250;
// A deadline already past waits no time (a negative delay warns on Node 24).
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const toLambdaRecord = (message: Message, queue: LocalQueue, region: string) => ({
  messageId: message.MessageId,
  receiptHandle: message.ReceiptHandle,
  body: message.Body ?? '',
  attributes: { ...(message.Attributes ?? {}) },
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, a]) => [
      name,
      {
        ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
        ...(a.BinaryValue !== undefined ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') } : {}),
        stringListValues: a.StringListValues ?? [],
        binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
        dataType: a.DataType,
      },
    ]),
  ),
  md5OfBody: message.MD5OfBody,
  ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
  eventSource: 'aws:sqs',
  eventSourceARN: queue.arn,
  awsRegion: region,
});

/**
 * Polls an SQS queue (fauxqs) and invokes the mapped function with batches,
 * as Lambda's SQS event source does: messages of a successful batch are
 * deleted; with ReportBatchItemFailures only the failed ones stay; after an
 * error none is deleted, so they return when their visibility timeout ends
 * and move to the dead-letter queue after maxReceiveCount receives. FIFO
 * queues keep each message group in order (the engine hands out one message
 * group at a time).
 */
export class QueuePoller {
  private stopped = false;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly options: QueuePollerOptions) {}

  start(): void {
    if (this.loops.length > 0) return;
    this.loops = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    const response = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queue.url,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return response.Messages ?? [];
  }

  private async remove(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queue.url,
          Entries: messages.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  }

  private async loop(): Promise<void> {
    const { mapping, queue, region } = this.options;
    while (!this.stopped) {
      try {
        let batch = await this.receive(mapping.batchSize, 2);
        if (batch.length === 0) continue;
        // Fill the batch within the batching window, with a last read at its
        // end. A read that drains the queue waits a quarter of a second before
        // the next; a backlog is read on at once, until the batch is full.
        // Reading again as each message arrives would cost an SQS round trip
        // per message for as long as the window lasts.
        if (mapping.batchingWindowSeconds > 0) {
          const windowEnds = Date.now() + mapping.batchingWindowSeconds * 1000;
          while (batch.length < mapping.batchSize && !this.stopped) {
            const readAt = Date.now();
            const wanted = mapping.batchSize - batch.length;
            const more = await this.receive(wanted, 0);
            batch = batch.concat(more);
            if (more.length >= Math.min(10, wanted)) continue;
            if (readAt >= windowEnds) break;
            await sleep(Math.min(windowEnds, readAt + FILL_INTERVAL_MS) - Date.now());
          }
        }
        const records = batch.map((m) => toLambdaRecord(m, queue, region));
        const kept = records.filter((r) => matchesFilters(mapping.filterPatterns, r));
        // Lambda deletes messages that no filter matches.
        const dropped = batch.filter((_m, i) => !kept.includes(records[i] as (typeof records)[number]));
        if (dropped.length > 0) await this.remove(dropped);
        if (kept.length === 0) continue;
        const started = performance.now();
        const outcome = await this.options.invoke({ Records: kept });
        const durationMs = performance.now() - started;
        if (!outcome.ok) {
          this.report(kept.length, durationMs, outcome.error);
          continue;
        }
        type BatchResponse = { batchItemFailures?: Array<{ itemIdentifier?: string }> } | undefined;
        const failures = mapping.reportBatchItemFailures
          ? (outcome.result as BatchResponse)?.batchItemFailures
          : undefined;
        const failedIds = new Set((failures ?? []).map((f) => f.itemIdentifier));
        const valid = [...failedIds].every((id) => kept.some((r) => r.messageId === id));
        if (!valid) {
          this.report(kept.length, durationMs, 'invalid batchItemFailures');
          continue;
        }
        const keptIds = new Set(kept.map((r) => r.messageId));
        const succeeded = batch.filter((m) => !failedIds.has(m.MessageId) && keptIds.has(m.MessageId));
        await this.remove(succeeded);
        this.report(kept.length, durationMs, failedIds.size > 0 ? `${failedIds.size} failed` : 'ok');
      } catch (error) {
        if (this.stopped) return;
        this.report(0, 0, `queue unavailable: ${(error as Error).name}`);
        await sleep(500);
      }
    }
  }

  private report(records: number, durationMs: number, outcome: string): void {
    this.options.onBatch?.({ mapping: this.options.mapping.id, records, durationMs, outcome });
  }
}
