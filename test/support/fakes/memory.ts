import { compareSequence } from '../../../lambdas/domain/memory/changes';
import type { ForgetOutcome, MemoryStore, RememberOutcome } from '../../../lambdas/domain/memory/ports';
import { EMPTY_CURSOR, placeMessage } from '../../../lambdas/domain/memory/windows';
import type {
  MemoryChunk,
  MemoryCursor,
  MemoryPolicy,
  RememberedMessage,
  RoomSummaryRecord,
  SequencedMessage,
} from '../../../lambdas/domain/memory/types';

interface Marker {
  readonly sequence: string;
  readonly state: 'remembered' | 'forgotten';
  readonly seq?: number;
  readonly windowStart?: number;
}

interface RoomState {
  cursor: MemoryCursor;
  readonly markers: Map<string, Marker>;
  /** windowStart → messageId → message */
  readonly windows: Map<number, Map<string, SequencedMessage>>;
  /** throughSeq → summary */
  readonly summaries: Map<number, RoomSummaryRecord>;
}

/**
 * Room memory held in process, with the same semantics as the DynamoDB
 * store (placement, per-message sequence guard, tombstones, one summary per
 * window). The recall benchmark runs on it, and tests use it as a fake.
 */
export class InMemoryMemoryStore implements MemoryStore {
  private readonly rooms = new Map<string, RoomState>();

  private room(roomId: string): RoomState {
    let state = this.rooms.get(roomId);
    if (!state) {
      state = { cursor: EMPTY_CURSOR, markers: new Map(), windows: new Map(), summaries: new Map() };
      this.rooms.set(roomId, state);
    }
    return state;
  }

  async remember(message: RememberedMessage, sequence: string, policy: MemoryPolicy): Promise<RememberOutcome> {
    const room = this.room(message.roomId);
    const marker = room.markers.get(message.messageId);
    if (marker && compareSequence(sequence, marker.sequence) <= 0) {
      return { status: 'unchanged', ...(marker.seq !== undefined ? { seq: marker.seq } : {}), roomSeq: room.cursor.seq };
    }
    if (marker?.state === 'remembered' && marker.seq !== undefined && marker.windowStart !== undefined) {
      const window = room.windows.get(marker.windowStart);
      const current = window?.get(message.messageId);
      if (!current || current.text === message.text) return { status: 'unchanged', seq: marker.seq, roomSeq: room.cursor.seq };
      room.markers.set(message.messageId, { ...marker, sequence });
      window?.set(message.messageId, { ...message, seq: marker.seq });
      return { status: 'revised', seq: marker.seq, roomSeq: room.cursor.seq };
    }
    // New, or forgotten and visible again: placed afresh.
    const placement = placeMessage(room.cursor, message.text.length, policy);
    room.cursor = placement.next;
    let window = room.windows.get(placement.windowStart);
    if (!window) {
      window = new Map();
      room.windows.set(placement.windowStart, window);
    }
    window.set(message.messageId, { ...message, seq: placement.seq });
    room.markers.set(message.messageId, {
      sequence,
      state: 'remembered',
      seq: placement.seq,
      windowStart: placement.windowStart,
    });
    return { status: 'remembered', seq: placement.seq, roomSeq: placement.seq };
  }

  async forget(roomId: string, messageId: string, sequence: string): Promise<ForgetOutcome> {
    const room = this.room(roomId);
    const marker = room.markers.get(messageId);
    if (marker && compareSequence(sequence, marker.sequence) <= 0) return { status: 'unchanged', roomSeq: room.cursor.seq };
    room.markers.set(messageId, { sequence, state: 'forgotten' });
    if (marker?.state !== 'remembered' || marker.seq === undefined || marker.windowStart === undefined) {
      return { status: 'unchanged', roomSeq: room.cursor.seq };
    }
    room.windows.get(marker.windowStart)?.delete(messageId);
    return { status: 'forgotten', seq: marker.seq, roomSeq: room.cursor.seq };
  }

  async recentChunks(roomId: string, limit: number): Promise<MemoryChunk[]> {
    const room = this.room(roomId);
    return [...room.windows.keys()]
      .sort((a, b) => b - a)
      .slice(0, limit)
      .map((windowStart) => ({ roomId, windowStart, messages: this.ordered(room, windowStart) }));
  }

  async messagesBetween(roomId: string, fromSeq: number, toSeq: number): Promise<SequencedMessage[]> {
    const room = this.room(roomId);
    return [...room.windows.keys()]
      .sort((a, b) => a - b)
      .flatMap((start) => this.ordered(room, start))
      .filter((m) => m.seq >= fromSeq && m.seq <= toSeq);
  }

  async latestSummary(roomId: string, atMostSeq?: number): Promise<RoomSummaryRecord | undefined> {
    const room = this.room(roomId);
    const through = [...room.summaries.keys()]
      .filter((s) => atMostSeq === undefined || s <= atMostSeq)
      .sort((a, b) => b - a)[0];
    return through === undefined ? undefined : room.summaries.get(through);
  }

  async saveSummary(summary: RoomSummaryRecord): Promise<boolean> {
    const room = this.room(summary.roomId);
    if (room.summaries.has(summary.throughSeq)) return false;
    room.summaries.set(summary.throughSeq, summary);
    return true;
  }

  async discardSummariesFrom(roomId: string, fromSeq: number): Promise<number> {
    const room = this.room(roomId);
    let discarded = 0;
    for (const through of [...room.summaries.keys()]) {
      if (through >= fromSeq) {
        room.summaries.delete(through);
        discarded += 1;
      }
    }
    return discarded;
  }

  private ordered(room: RoomState, windowStart: number): SequencedMessage[] {
    return [...(room.windows.get(windowStart)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }
}
