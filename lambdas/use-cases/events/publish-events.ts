import type { AuditRecord } from '../../domain/audit';
import { type DomainEvent, type DomainEventPublisher, type DomainEventType, domainEventSchema } from '../../domain/events/domain-events';
import { EventsNotPublishedError } from '../../domain/events/errors';
import { eventOfAuditRecord, needsRoom } from '../../domain/events/from-audit';
import { eventOfPostedMessage } from '../../domain/events/from-message';
import type { EventRooms } from '../../domain/events/ports';
import { ParleyError } from '../../domain/errors';
import type { ModeratedMessage } from '../../domain/message';

export interface PublishEventsDeps {
  readonly publisher: DomainEventPublisher;
  readonly rooms: EventRooms;
}

/** Each type's schema, built once per container: building one costs far more than checking an event with it. */
const schemas = new Map<DomainEventType, ReturnType<typeof domainEventSchema>>();
const schemaOf = (type: DomainEventType) => {
  let schema = schemas.get(type);
  if (schema === undefined) {
    schema = domainEventSchema(type);
    schemas.set(type, schema);
  }
  return schema;
};

/** A record Parley keeps that may stand for an event, with the key its stream knows it by (a sequence number). */
export type EventSourceRecord =
  | { readonly key: string; readonly audit: AuditRecord }
  | { readonly key: string; readonly posted: ModeratedMessage };

export interface PublishEventsResult {
  /** The events published (or published again, on a retry). */
  readonly published: readonly DomainEvent[];
  /** Keys of the records whose events the bus refused: retry those. */
  readonly failedKeys: readonly string[];
}

/**
 * Publishes the domain events a batch of audit entries and posted messages
 * stands for. The rooms the batch needs are read once (whether a room shares
 * message text; a new room's name). Every event is checked against its
 * schema first: a mapping bug throws here rather than publish a malformed
 * event. When the bus refuses some events, their records' keys come back to
 * be retried; the others stay published (their ids let consumers drop the
 * repeats a retry brings).
 *
 * @example
 * const { failedKeys } = await publishEvents(deps, [{ key: seq, audit: record }]);
 */
export async function publishEvents(deps: PublishEventsDeps, records: readonly EventSourceRecord[]): Promise<PublishEventsResult> {
  const roomIds = new Set<string>();
  for (const record of records) {
    if ('posted' in record) roomIds.add(record.posted.roomId);
    else if (needsRoom(record.audit)) roomIds.add(record.audit.roomId);
  }
  const rooms = roomIds.size === 0 ? new Map() : await deps.rooms.roomsById([...roomIds]);

  const keyOfEvent = new Map<string, string>();
  const events: DomainEvent[] = [];
  for (const record of records) {
    const event =
      'posted' in record
        ? eventOfPostedMessage(record.posted, rooms.get(record.posted.roomId))
        : eventOfAuditRecord(record.audit, rooms.get(record.audit.roomId));
    if (event === undefined) continue;
    const checked = schemaOf(event.type).safeParse(event);
    if (!checked.success) {
      throw new ParleyError(`The ${event.type} event ${event.id} does not match its schema: ${checked.error.message}`);
    }
    keyOfEvent.set(event.id, record.key);
    events.push(event);
  }
  if (events.length === 0) return { published: [], failedKeys: [] };

  try {
    await deps.publisher.publish(events);
    return { published: events, failedKeys: [] };
  } catch (error) {
    if (!(error instanceof EventsNotPublishedError)) throw error;
    const failed = new Set(error.eventIds);
    return {
      published: events.filter((event) => !failed.has(event.id)),
      failedKeys: [...new Set(error.eventIds.map((id) => keyOfEvent.get(id)).filter((key) => key !== undefined))],
    };
  }
}
