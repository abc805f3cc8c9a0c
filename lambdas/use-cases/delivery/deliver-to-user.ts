import type { DeliveryReport } from '../../domain/delivery';
import type { Frame } from '../../domain/protocol';
import type { DeliverDeps } from './deliver-to-room';
import { deliverToRecipients } from './deliver-to-recipients';

/**
 * Pushes a frame to every live connection of one user, in whatever rooms:
 * what concerns the person rather than a room (an invitation, a room joined
 * or lost) reaches all their tabs and devices at once.
 */
export async function deliverToUser(deps: DeliverDeps, userId: string, frame: Frame): Promise<DeliveryReport> {
  const recipients = await deps.connections.listUserConnections(userId);
  return deliverToRecipients(deps, recipients, frame);
}
