import type { RoomMemory } from '../../domain/agents/memory';
import type { MemoryStore } from '../../domain/memory/ports';
import { rankPassages } from '../../domain/memory/recall';

export interface StoredRoomMemoryOptions {
  /** Most recent windows scored per recall; older ones are not searched (default 500, about 4,000 messages). */
  readonly maxWindows?: number;
  /** Characters of one passage at most (default 1,200, about 300 tokens). */
  readonly maxPassageChars?: number;
}

type Recollection = Awaited<ReturnType<RoomMemory['recall']>>;

/**
 * The room memory agents recall from: the latest rolling summary and the
 * windows of history that best match the query (BM25+ over stemmed terms,
 * scored at query time over the room's most recent `maxWindows` windows).
 * Two queries of one partition per recall, run together.
 */
export class StoredRoomMemory implements RoomMemory {
  private readonly maxWindows: number;
  private readonly maxPassageChars: number;

  constructor(
    private readonly store: Pick<MemoryStore, 'latestSummary' | 'recentChunks'>,
    options: StoredRoomMemoryOptions = {},
  ) {
    this.maxWindows = options.maxWindows ?? 500;
    this.maxPassageChars = options.maxPassageChars ?? 1_200;
  }

  async recall(
    roomId: string,
    query: string,
    options: { k: number; excludeMessageIds: ReadonlySet<string> },
  ): Promise<Recollection> {
    const [summary, chunks] = await Promise.all([
      this.store.latestSummary(roomId),
      options.k > 0 ? this.store.recentChunks(roomId, this.maxWindows) : Promise.resolve([]),
    ]);
    const passages = rankPassages(chunks, query, {
      k: options.k,
      excludeMessageIds: options.excludeMessageIds,
      maxPassageChars: this.maxPassageChars,
    });
    return {
      ...(summary
        ? { summary: { text: summary.text, fromMessageId: summary.fromMessageId, toMessageId: summary.toMessageId } }
        : {}),
      passages,
    };
  }
}
