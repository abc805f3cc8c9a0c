export interface CoalescerOptions {
  /** Least time between two flushes: 100 ms keeps posts to about 10 per second per connection. */
  readonly minIntervalMs: number;
  /** A buffer this long is flushed at once, so a frame stays far below API Gateway's 32 KB. */
  readonly maxChars: number;
}

export const DEFAULT_COALESCING: CoalescerOptions = { minIntervalMs: 100, maxChars: 4000 };

/**
 * A reply's cadence in a room whose frames go through the sharded fan-out:
 * every update there costs a post per connection plus queue jobs and worker
 * runs, and waits behind the queue, so the first words still go out at once
 * but later text is gathered for a second (docs/architecture.md weighs it).
 */
export const LARGE_ROOM_COALESCING: CoalescerOptions = { minIntervalMs: 1000, maxChars: 4000 };

/**
 * Gathers a model's text deltas into chunks worth a post. The first delta
 * goes out at once (people see the agent start typing); later ones are held
 * until `minIntervalMs` has passed since the last flush, or the buffer
 * reaches `maxChars`. Pure: the caller passes the time and posts the chunks.
 *
 * @example
 * const coalescer = new DeltaCoalescer();
 * coalescer.offer('Hel', 0);   // 'Hel' (first delta)
 * coalescer.offer('lo', 30);   // undefined (held)
 * coalescer.due(100);          // 'lo'
 */
export class DeltaCoalescer {
  private buffer = '';
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private flushCount = 0;

  constructor(private options: CoalescerOptions = DEFAULT_COALESCING) {}

  /** Changes the cadence from now on (a room found large); what is held stays held. */
  retune(options: CoalescerOptions): void {
    this.options = options;
  }

  /** Adds a delta; returns a chunk when one should be posted now. */
  offer(text: string, nowMs: number): string | undefined {
    this.buffer += text;
    if (this.buffer.length >= this.options.maxChars) return this.flush(nowMs);
    return this.due(nowMs);
  }

  /** The held text, if it is time to post it. */
  due(nowMs: number): string | undefined {
    if (this.buffer.length === 0 || nowMs - this.lastFlushAt < this.options.minIntervalMs) return undefined;
    return this.flush(nowMs);
  }

  /** When the held text becomes due; undefined when nothing is held. */
  nextFlushAt(): number | undefined {
    return this.buffer.length === 0 ? undefined : this.lastFlushAt + this.options.minIntervalMs;
  }

  /** Whatever is held, regardless of time (the end of a reply). */
  drain(nowMs: number): string | undefined {
    return this.buffer.length === 0 ? undefined : this.flush(nowMs);
  }

  /** Chunks handed out so far. */
  get flushes(): number {
    return this.flushCount;
  }

  private flush(nowMs: number): string {
    const chunk = this.buffer;
    this.buffer = '';
    this.lastFlushAt = nowMs;
    this.flushCount += 1;
    return chunk;
  }
}
