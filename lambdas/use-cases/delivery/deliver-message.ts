import { NO_DELIVERY, type DeliveryReport } from '../../domain/delivery';
import { planFanOut, type FanOutQueue, type FanOutSettings } from '../../domain/fan-out';
import { canSee, isPublic, type ModeratedMessage } from '../../domain/message';
import type { Frame } from '../../domain/protocol';
import { deliverToRecipients } from './deliver-to-recipients';
import { deliverToViewers, type DeliverToViewersDeps } from './deliver-to-viewers';

export interface FanOutDeps {
  readonly queue: FanOutQueue;
  readonly settings: FanOutSettings;
}

export interface DeliverMessageDeps extends DeliverToViewersDeps {
  /** Sharded fan-out for large rooms; without it every message is delivered here. */
  readonly fanOut?: FanOutDeps;
}

/** How a new message went out: posted here, or handed to the fan-out workers. */
export type MessageDelivery =
  | { readonly kind: 'posted'; readonly report: DeliveryReport }
  | { readonly kind: 'sharded'; readonly recipients: number; readonly jobs: number };

/**
 * Delivers a newly stored message to the connections of its room.
 *
 * A withheld message (quarantined, blocked) reaches its sender and the
 * room's moderators only, and is always posted here: its audience is small
 * and depends on roles. A public message goes to every connection of the
 * room: posted here while the room has at most `fanOut.settings.threshold`
 * connections, otherwise planned into shards (planFanOut) and enqueued for
 * the fan-out workers, so the sender's wait does not grow with the room.
 * The connections are listed once, either way.
 */
export async function deliverMessage(deps: DeliverMessageDeps, message: ModeratedMessage): Promise<MessageDelivery> {
  const frame: Frame = { type: 'message', roomId: message.roomId, message };
  if (!isPublic(message)) {
    const report = await deliverToViewers(deps, message.roomId, {
      frames: { message: frame },
      audienceOf: (viewer) => (canSee(message, viewer) ? 'message' : undefined),
      needsModerators: true,
    });
    return { kind: 'posted', report };
  }
  const connections = await deps.connections.listRoomConnections(message.roomId);
  if (connections.length === 0) return { kind: 'posted', report: NO_DELIVERY };
  if (deps.fanOut === undefined || connections.length <= deps.fanOut.settings.threshold) {
    return { kind: 'posted', report: await deliverToRecipients(deps, connections, frame) };
  }
  const jobs = planFanOut({
    roomId: message.roomId,
    messageId: message.messageId,
    frame: JSON.stringify(frame),
    connectionIds: connections.map((c) => c.connectionId),
    shardSize: deps.fanOut.settings.shardSize,
  });
  await deps.fanOut.queue.enqueue(jobs);
  return { kind: 'sharded', recipients: connections.length, jobs: jobs.length };
}
