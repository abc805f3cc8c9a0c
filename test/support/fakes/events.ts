import type { DomainEvent, DomainEventPublisher } from '../../../lambdas/domain/events/domain-events';
import { EventsNotPublishedError } from '../../../lambdas/domain/events/errors';
import type { EventRooms } from '../../../lambdas/domain/events/ports';
import type { Room } from '../../../lambdas/domain/types';

/** A bus that keeps what it is given, and refuses the event ids in `refuse`. */
export class FakeEventPublisher implements DomainEventPublisher {
  readonly published: DomainEvent[] = [];
  readonly refuse = new Set<string>();
  calls = 0;

  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.calls += 1;
    const refused = events.filter((event) => this.refuse.has(event.id));
    this.published.push(...events.filter((event) => !this.refuse.has(event.id)));
    if (refused.length > 0) throw new EventsNotPublishedError(refused.map((event) => event.id));
  }
}

/** Rooms by id, counting reads. */
export class FakeEventRooms implements EventRooms {
  readonly rooms = new Map<string, Room>();
  readonly reads: string[][] = [];

  async roomsById(roomIds: readonly string[]): Promise<ReadonlyMap<string, Room>> {
    this.reads.push([...roomIds]);
    return new Map(roomIds.flatMap((id) => (this.rooms.has(id) ? [[id, this.rooms.get(id)!] as const] : [])));
  }
}
