/**
 * The sample analytics consumer's layout (docs/events.md): each batch of
 * events it receives becomes one gzip JSON Lines object per event date,
 * `events/date=YYYY-MM-DD/<batch>.json.gz`, which Athena reads with
 * partition projection on `date`.
 */
export const ANALYTICS_EVENTS_PREFIX = 'events/';

/** An EventBridge event as a target receives it. */
export interface BusEvent {
  readonly version?: string;
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account?: string;
  readonly time: string;
  readonly region?: string;
  readonly resources?: readonly string[];
  readonly detail: unknown;
}

const DATE = /^(\d{4}-\d{2}-\d{2})T/;

/** The date partition of an event: the UTC day of its time. */
export function dateOf(event: Pick<BusEvent, 'time'>): string {
  const match = DATE.exec(new Date(event.time).toISOString());
  if (match?.[1] === undefined) throw new Error(`The event time "${event.time}" is not a date.`);
  return match[1];
}

/**
 * The objects a batch becomes: one per date, keyed by the batch's first
 * message id, so a batch delivered again overwrites its objects rather than
 * adding copies. Each line is one event as the bus delivered it.
 */
export function analyticsObjects(batchId: string, events: readonly BusEvent[]): Array<{ key: string; lines: string }> {
  const byDate = new Map<string, string[]>();
  for (const event of events) {
    const date = dateOf(event);
    const lines = byDate.get(date) ?? [];
    lines.push(JSON.stringify(event));
    byDate.set(date, lines);
  }
  const safeId = batchId.replace(/[^A-Za-z0-9-]/g, '_');
  return [...byDate].map(([date, lines]) => ({
    key: `${ANALYTICS_EVENTS_PREFIX}date=${date}/${safeId}.json.gz`,
    lines: `${lines.join('\n')}\n`,
  }));
}

/** Where the analytics consumer writes its objects. */
export interface AnalyticsStore {
  /** Writes `lines` (JSON Lines) at `key`, compressed, replacing what is there. */
  put(key: string, lines: string): Promise<void>;
}
