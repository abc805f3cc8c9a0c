import type { AuditLog } from '../domain/audit';
import type { Clock, ConnectionGateway, ConnectionRepository, RoomRepository } from '../domain/ports';

/** What the membership use cases share. */
export interface RoomDeps {
  readonly rooms: RoomRepository;
  readonly connections: ConnectionRepository;
  readonly gateway: ConnectionGateway;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  /** Membership and role changes are recorded here, after they happen. */
  readonly audit: AuditLog;
}

export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();
