import { NO_DELIVERY, type DeliveryReport } from '../../domain/delivery';
import { planFanOut, type FanOutQueue, type FanOutSettings } from '../../domain/fan-out';
import { canSee, isPublic, type ModeratedMessage } from '../../domain/message';
import type { Frame } from '../../domain/protocol';
import { deliverToRecipients } from './deliver-to-recipients';
import type { DeliverDeps } from './deliver-to-room';
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
  return deliverToRoomConnections(deps, message.roomId, frame, message.messageId);
}

/** What deliverToRoomConnections needs: the room's connections, the gateway and, for large rooms, the fan-out. */
export interface DeliverToRoomConnectionsDeps extends DeliverDeps {
  /** Sharded fan-out for large rooms; without it every frame is posted here. */
  readonly fanOut?: FanOutDeps;
}

/**
 * Delivers one frame to every live connection of a room: posted here while
 * the room has at most `fanOut.settings.threshold` connections, otherwise
 * planned into shards and enqueued for the fan-out workers. `fanOutId`
 * names the frame in the jobs' deduplication ids: the same id enqueued
 * twice within SQS's window is delivered once, so it must be stable for
 * the same frame and distinct for different ones (at most 64 characters).
 */
export async function deliverToRoomConnections(
  deps: DeliverToRoomConnectionsDeps,
  roomId: string,
  frame: Frame,
  fanOutId: string,
): Promise<MessageDelivery> {
  const connections = await deps.connections.listRoomConnections(roomId);
  if (connections.length === 0) return { kind: 'posted', report: NO_DELIVERY };
  if (deps.fanOut === undefined || connections.length <= deps.fanOut.settings.threshold) {
    return { kind: 'posted', report: await deliverToRecipients(deps, connections, frame) };
  }
  const jobs = planFanOut({
    roomId,
    messageId: fanOutId,
    frame: JSON.stringify(frame),
    connectionIds: connections.map((c) => c.connectionId),
    shardSize: deps.fanOut.settings.shardSize,
  });
  await deps.fanOut.queue.enqueue(jobs);
  return { kind: 'sharded', recipients: connections.length, jobs: jobs.length };
}
