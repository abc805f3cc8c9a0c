import type { LocalEventSourceMapping } from '../model';

export type BatchOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: string; readonly errorType: string };

/** Invokes the mapping's function with one batch event. */
export type BatchInvoker = (event: { Records: unknown[] }) => Promise<BatchOutcome>;

export interface FailureRecord {
  readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
  readonly approximateInvokeCount: number;
  readonly functionError: string | undefined;
  readonly batchInfo: Record<string, unknown>;
  /** The invocation event that failed; only an S3 destination receives it, as on AWS. */
  readonly payload?: { readonly Records: readonly unknown[] };
}

/** Sends an invocation record to the mapping's on-failure destination, if it has one. */
export type FailureDestination = (mapping: LocalEventSourceMapping, failure: FailureRecord) => Promise<void>;

/** One line per batch a mapping delivered, for the person watching the terminal. */
export interface BatchLogEntry {
  readonly mapping: string;
  readonly records: number;
  readonly durationMs: number;
  readonly outcome: string;
  /** The items a stream batch carried, each as its key values joined by `/` (e.g. `<roomId>/MSG#<id>`). */
  readonly keys?: readonly string[];
}
