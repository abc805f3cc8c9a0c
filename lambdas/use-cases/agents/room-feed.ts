import type { FeedDelivery, RoomFeed } from '../../domain/agents/ports';
import type { AgentFrame } from '../../domain/agents/protocol';
import type { Clock } from '../../domain/ports';
import { deliverToRoomConnections, type DeliverToRoomConnectionsDeps } from '../delivery/deliver-message';

export interface RoomFeedDeps extends DeliverToRoomConnectionsDeps {
  readonly clock: Clock;
  /** A fresh id, for frames that have no stable name of their own (notices, changes). */
  readonly nextId: (nowMs: number) => string;
}

/**
 * The name of an agent frame in its fan-out jobs' deduplication ids: a
 * reply's part by its reply and sequence number, its end by the reply, so
 * the same part enqueued again (a worker run twice) is delivered once.
 * Other frames are rare and get a fresh id.
 */
export function fanOutIdOf(frame: AgentFrame, freshId: () => string): string {
  switch (frame.type) {
    case 'agentDelta':
      return `${frame.replyId}.${frame.seq}`;
    case 'agentDone':
      return frame.replyId;
    case 'agentThinking':
      return `${frame.messageId}:${frame.agent.handle}`;
    default:
      return freshId();
  }
}

/**
 * Publishes agents' frames to a room the way people's messages go: posted
 * by the caller in a room of at most the fan-out threshold of connections,
 * otherwise enqueued for the fan-out workers in shards. Every frame of a
 * reply goes through the same per-connection message groups, so each
 * connection gets a reply's parts and its end in the order they were
 * published (a part retried after a failed post may come later; `seq`
 * orders it on the client, which ignores parts of a reply already done).
 *
 * @example
 * const feed = createRoomFeed({ connections, gateway, fanOut: { queue, settings }, clock, nextId });
 * const { sharded } = await feed.publish(roomId, { type: 'agentDelta', roomId, replyId, agent, text, seq: 0 });
 */
export function createRoomFeed(deps: RoomFeedDeps): RoomFeed {
  return {
    publish: async (roomId, frame): Promise<FeedDelivery> => {
      const delivery = await deliverToRoomConnections(deps, roomId, frame, fanOutIdOf(frame, () => deps.nextId(deps.clock.now())));
      if (delivery.kind === 'posted') return delivery.report;
      return { recipients: 0, delivered: 0, gone: 0, failed: 0, failures: [], sharded: delivery.recipients };
    },
  };
}
