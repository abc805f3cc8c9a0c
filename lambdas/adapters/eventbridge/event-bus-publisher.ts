import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent, type DomainEventPublisher } from '../../domain/events/domain-events';
import { EventsNotPublishedError } from '../../domain/events/errors';

/** PutEvents' limit of entries per call. */
export const MAX_ENTRIES_PER_CALL = 10;
/** PutEvents' limit of an entry's size, in bytes. */
export const MAX_ENTRY_BYTES = 256 * 1024;

export interface EventBusPublisherOptions {
  /** Calls per entry before giving up on it (default 3). */
  readonly maxAttempts?: number;
  /** The first retry's delay; each next one doubles, with jitter (default 50 ms). */
  readonly baseDelayMs?: number;
  /** Told about each event left out or given up on, with why; the handler logs it. */
  readonly onRefused?: (event: Pick<DomainEvent, 'id' | 'type'>, reason: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An entry's size as EventBridge counts it: the UTF-8 bytes of its Source,
 * DetailType, Detail and resources (the time counts 14 bytes).
 */
const entryBytes = (entry: PutEventsRequestEntry): number =>
  14 +
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, resource) => sum + Buffer.byteLength(resource), 0);

/**
 * Domain events on an EventBridge bus: PutEvents with Source `parley`,
 * DetailType the event's type and Detail the event itself, ten entries per
 * call. Entries the bus fails (throttling, an internal error) are retried
 * with backoff; those still failing, and any over the 256 KB an entry may
 * weigh, are named by the EventsNotPublishedError thrown at the end, so
 * their stream records are retried rather than lost.
 */
export class EventBusPublisher implements DomainEventPublisher {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly options: EventBusPublisherOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 50;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    const refused: string[] = [];
    const entries: Array<{ event: DomainEvent; entry: PutEventsRequestEntry }> = [];
    for (const event of events) {
      const entry: PutEventsRequestEntry = {
        EventBusName: this.busName,
        Source: EVENT_SOURCE,
        DetailType: event.type,
        Detail: JSON.stringify(event),
        Time: new Date(event.occurredAt),
      };
      if (entryBytes(entry) > MAX_ENTRY_BYTES) {
        this.options.onRefused?.(event, `over ${MAX_ENTRY_BYTES} bytes`);
        refused.push(event.id);
      } else {
        entries.push({ event, entry });
      }
    }
    for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_CALL) {
      refused.push(...(await this.putAll(entries.slice(start, start + MAX_ENTRIES_PER_CALL))));
    }
    if (refused.length > 0) throw new EventsNotPublishedError(refused);
  }

  /** Puts a call's entries, retrying those that fail; the ids of those that never went. */
  private async putAll(batch: Array<{ event: DomainEvent; entry: PutEventsRequestEntry }>): Promise<string[]> {
    let pending = batch;
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.client.send(new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }));
      if ((result.FailedEntryCount ?? 0) === 0) return [];
      // Results come in the order of the entries: a failed one has an ErrorCode.
      const failed = pending.flatMap((item, index) => {
        const outcome = result.Entries?.[index];
        return outcome === undefined || outcome.ErrorCode !== undefined ? [{ ...item, code: outcome?.ErrorCode ?? 'NoResult' }] : [];
      });
      if (attempt >= this.maxAttempts) {
        for (const { event, code } of failed) this.options.onRefused?.(event, `failed ${attempt} times (${code})`);
        return failed.map(({ event }) => event.id);
      }
      pending = failed;
      await sleep(Math.random() * this.baseDelayMs * 2 ** attempt);
    }
  }
}
