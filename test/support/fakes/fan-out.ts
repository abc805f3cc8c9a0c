import type { FanOutJob, FanOutQueue } from '../../../lambdas/domain/fan-out';
import { fanOutDeduplicationId } from '../../../lambdas/domain/fan-out';

/**
 * The fan-out queue in memory: jobs in the order enqueued, deduplicated by
 * their deduplication id as SQS FIFO does. `failNext` makes the next
 * enqueue throw.
 */
export class FakeFanOutQueue implements FanOutQueue {
  readonly jobs: FanOutJob[] = [];
  readonly deduplicated: FanOutJob[] = [];
  failNext = false;

  async enqueue(jobs: readonly FanOutJob[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('The queue refused the jobs.');
    }
    for (const job of jobs) {
      const id = fanOutDeduplicationId(job);
      if (this.jobs.some((queued) => fanOutDeduplicationId(queued) === id)) this.deduplicated.push(job);
      else this.jobs.push(job);
    }
  }

  /** Takes the oldest job off the queue, as a worker receives it. */
  take(): FanOutJob | undefined {
    return this.jobs.shift();
  }
}
