import { ParleyError } from '../errors';

/**
 * The bus refused some events, even after retries. Names them, so the
 * stream records they came from are retried rather than the whole batch.
 */
export class EventsNotPublishedError extends ParleyError {
  constructor(
    readonly eventIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${eventIds.length} domain event(s) not published: ${eventIds.slice(0, 10).join(', ')}.`, options);
    this.name = 'EventsNotPublishedError';
  }
}
