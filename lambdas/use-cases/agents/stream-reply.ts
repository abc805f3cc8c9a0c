import type { Clock } from '../../domain/ports';
import type { AgentRef } from '../../domain/agents/config';
import { DeltaCoalescer, LARGE_ROOM_COALESCING, type CoalescerOptions } from '../../domain/agents/coalescer';
import { STOP_CHECK_INTERVAL_MS } from '../../domain/agents/live-reply';
import type { ModelEvent, ModelUsage, RoomFeed } from '../../domain/agents/ports';
import type { ToolUse } from '../../domain/agents/tools';

export interface StreamReplyDeps {
  readonly feed: RoomFeed;
  readonly clock: Clock;
  /** Resolves after `ms`; lets held text go out while the model pauses. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly coalescing: CoalescerOptions;
  /** The cadence once the room's frames are found to go through the sharded fan-out (LARGE_ROOM_COALESCING by default). */
  readonly largeRoomCoalescing?: CoalescerOptions;
  /** Whether someone asked the reply to stop; read at most every STOP_CHECK_INTERVAL_MS, as parts arrive. */
  readonly stopRequested?: () => Promise<boolean>;
}

export interface StreamTarget {
  readonly roomId: string;
  readonly replyId: string;
  readonly agent: AgentRef;
}

/** What has been streamed so far; kept when the stream breaks. */
export interface StreamProgress {
  text: string;
  /** Deltas received from the model (about one per token). */
  deltas: number;
  /** agentDelta frames sent (each one post per connection). */
  flushes: number;
  /** PostToConnection calls made, or handed to the fan-out workers in a large room. */
  posts: number;
  /** Time of the first post, for latency figures. */
  firstPostAt?: number;
}

export interface StreamResult {
  readonly stopReason: string;
  readonly usage?: ModelUsage;
  /** Tools the model asked for, in order (stop reason `tool_use`). */
  readonly toolUses?: readonly ToolUse[];
}

const TIMER: unique symbol = Symbol('timer');

/** The stop reason of a reply someone stopped (stopAgentReply). */
export const STOPPED = 'stopped';

/**
 * Relays a model's reply to the room as it is generated: deltas are
 * gathered by a DeltaCoalescer and posted as `agentDelta` frames with a
 * sequence number, never one post per token. Once the feed reports a frame
 * sharded (a room above the fan-out threshold), the rest of the reply is
 * gathered at the large-room cadence. Held text is flushed when due
 * even if the model pauses, and all of it at the end. Errors from the model
 * stream propagate; `progress` then holds what was already sent.
 */
export async function streamReply(
  deps: StreamReplyDeps,
  target: StreamTarget,
  events: AsyncIterable<ModelEvent>,
  progress: StreamProgress,
): Promise<StreamResult> {
  const coalescer = new DeltaCoalescer(deps.coalescing);
  const post = async (text: string | undefined) => {
    if (text === undefined) return;
    const seq = progress.flushes;
    progress.flushes += 1;
    const { recipients, sharded } = await deps.feed.publish(target.roomId, {
      type: 'agentDelta',
      roomId: target.roomId,
      replyId: target.replyId,
      agent: target.agent,
      text,
      seq,
    });
    progress.posts += recipients + (sharded ?? 0);
    // A large room: each update is a post per connection plus queue jobs, so fewer, larger ones.
    if (sharded !== undefined) coalescer.retune(deps.largeRoomCoalescing ?? LARGE_ROOM_COALESCING);
    progress.firstPostAt ??= deps.clock.now();
  };

  const iterator = events[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<ModelEvent>> | undefined;
  let result: StreamResult | undefined;
  let lastStopCheckAt = deps.clock.now();
  const toolUses: ToolUse[] = [];
  /** Whether to stop now: asked at most once an interval, when a part arrives. */
  const stopNow = async (): Promise<boolean> => {
    if (deps.stopRequested === undefined || deps.clock.now() - lastStopCheckAt < STOP_CHECK_INTERVAL_MS) return false;
    lastStopCheckAt = deps.clock.now();
    return deps.stopRequested();
  };
  try {
    for (;;) {
      pending ??= iterator.next();
      const dueAt = coalescer.nextFlushAt();
      let next: IteratorResult<ModelEvent> | typeof TIMER;
      if (dueAt === undefined) next = await pending;
      else {
        const wait = dueAt - deps.clock.now();
        next = wait <= 0 ? TIMER : await Promise.race([pending, deps.sleep(wait).then((): typeof TIMER => TIMER)]);
      }
      if (next === TIMER) {
        await post(coalescer.due(deps.clock.now()));
        continue;
      }
      pending = undefined;
      if (next.done) break;
      const event = next.value;
      if (event.type === 'delta') {
        if (event.text.length === 0) continue;
        if (await stopNow()) {
          // Nothing more is posted or paid for: the model's stream is closed; what was posted is the reply.
          await iterator.return?.().catch(() => undefined);
          return { stopReason: STOPPED };
        }
        progress.text += event.text;
        progress.deltas += 1;
        await post(coalescer.offer(event.text, deps.clock.now()));
      } else if (event.type === 'toolUse') {
        toolUses.push({ toolUseId: event.toolUseId, name: event.name, input: event.input });
      } else {
        result = { stopReason: event.stopReason, ...(event.usage ? { usage: event.usage } : {}) };
      }
    }
  } catch (error) {
    // Whatever arrived is shown, also when the stream broke; the stream's
    // error is the one that matters.
    await post(coalescer.drain(deps.clock.now())).catch(() => undefined);
    throw error;
  }
  await post(coalescer.drain(deps.clock.now()));
  return { ...(result ?? { stopReason: 'end_turn' }), ...(toolUses.length > 0 ? { toolUses } : {}) };
}
