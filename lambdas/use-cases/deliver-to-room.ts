import { settleWithConcurrency } from '../domain/concurrency';
import type { ConnectionGateway, ConnectionRepository } from '../domain/ports';
import type { Frame } from '../domain/protocol';

export interface DeliverDeps {
  readonly connections: ConnectionRepository;
  readonly gateway: ConnectionGateway;
  /** Posts in flight at once; API Gateway's post throttle is account-wide. */
  readonly concurrency?: number;
}

export interface DeliveryReport {
  readonly recipients: number;
  readonly delivered: number;
  /** Stale connections found (410) and removed. */
  readonly gone: number;
  /** Posts that failed otherwise; the message stays in history for catch-up. */
  readonly failed: number;
}

/**
 * Pushes a frame to every live connection subscribed to a room, found by one
 * keyed query. A connection that is gone (410) is removed, and the others
 * still receive the frame.
 */
export async function deliverToRoom(
  deps: DeliverDeps,
  roomId: string,
  frame: Frame,
): Promise<DeliveryReport> {
  const recipients = await deps.connections.listRoomConnections(roomId);
  const payload = JSON.stringify(frame);
  const outcomes = await settleWithConcurrency(recipients, deps.concurrency ?? 64, async (r) => {
    const outcome = await deps.gateway.post(r.connectionId, payload);
    if (outcome === 'gone') await deps.connections.removeConnection(r.connectionId);
    return outcome;
  });
  let delivered = 0;
  let gone = 0;
  let failed = 0;
  for (const o of outcomes) {
    if (o.status === 'rejected') failed += 1;
    else if (o.value === 'gone') gone += 1;
    else delivered += 1;
  }
  return { recipients: recipients.length, delivered, gone, failed };
}
