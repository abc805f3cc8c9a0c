import type { DeliveryReport } from '../../domain/delivery';
import type { ConnectionRepository } from '../../domain/ports';
import type { Frame } from '../../domain/protocol';
import { deliverToRecipients, type DeliverToRecipientsDeps } from './deliver-to-recipients';

export interface DeliverDeps extends DeliverToRecipientsDeps {
  readonly connections: ConnectionRepository;
}

/**
 * Pushes a frame to every live connection subscribed to a room, found by one
 * keyed query (see deliverToRecipients for gone and failed posts).
 */
export async function deliverToRoom(deps: DeliverDeps, roomId: string, frame: Frame): Promise<DeliveryReport> {
  const recipients = await deps.connections.listRoomConnections(roomId);
  return deliverToRecipients(deps, recipients, frame);
}
