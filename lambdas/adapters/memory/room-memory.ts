import type { RoomMemory } from '../../domain/agents/memory';
import type { Embedder, MemoryStore } from '../../domain/memory/ports';
import { rankPassages } from '../../domain/memory/recall';
import { quantize } from '../../domain/memory/vectors';

export interface StoredRoomMemoryOptions {
  /** Most recent windows scored per recall; older ones are not searched (default 500, about 4,000 messages). */
  readonly maxWindows?: number;
  /** Characters of one passage at most (default 1,200, about 300 tokens). */
  readonly maxPassageChars?: number;
  /** Embeds the query for semantic ranking next to the lexical one (the windows carry their messages' vectors). */
  readonly embedder?: Embedder;
  /**
   * Told when embedding the query failed (the endpoint down, slow or
   * refusing): the recall goes on lexically instead of failing the answer.
   */
  readonly onEmbeddingFailure?: (error: unknown) => void;
}

type Recollection = Awaited<ReturnType<RoomMemory['recall']>>;

/**
 * The room memory agents recall from: the latest rolling summary and the
 * windows of history that best match the query (BM25+ over stemmed terms,
 * scored at query time over the room's most recent `maxWindows` windows,
 * fused with a semantic ranking when an embedder is given). Two queries of
 * one partition per recall (and one embedding call), run together. When
 * the embedding call fails, the recall is lexical only and
 * `onEmbeddingFailure` is told.
 */
export class StoredRoomMemory implements RoomMemory {
  private readonly maxWindows: number;
  private readonly maxPassageChars: number;
  private readonly embedder: Embedder | undefined;
  private readonly onEmbeddingFailure: (error: unknown) => void;

  constructor(
    private readonly store: Pick<MemoryStore, 'latestSummary' | 'recentChunks'>,
    options: StoredRoomMemoryOptions = {},
  ) {
    this.maxWindows = options.maxWindows ?? 500;
    this.maxPassageChars = options.maxPassageChars ?? 1_200;
    this.embedder = options.embedder;
    this.onEmbeddingFailure = options.onEmbeddingFailure ?? (() => undefined);
  }

  async recall(
    roomId: string,
    query: string,
    options: { k: number; excludeMessageIds: ReadonlySet<string>; excludeSenderIds?: ReadonlySet<string>; now?: number },
  ): Promise<Recollection> {
    const searching = options.k > 0;
    const [summary, chunks, queryVector] = await Promise.all([
      this.store.latestSummary(roomId),
      searching ? this.store.recentChunks(roomId, this.maxWindows) : Promise.resolve([]),
      searching && this.embedder ? this.queryVector(this.embedder, query) : Promise.resolve(undefined),
    ]);
    const passages = rankPassages(chunks, query, {
      k: options.k,
      excludeMessageIds: options.excludeMessageIds,
      ...(options.excludeSenderIds !== undefined ? { excludeSenderIds: options.excludeSenderIds } : {}),
      maxPassageChars: this.maxPassageChars,
      ...(queryVector !== undefined ? { queryVector } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    return {
      ...(summary
        ? { summary: { text: summary.text, fromMessageId: summary.fromMessageId, toMessageId: summary.toMessageId } }
        : {}),
      passages,
    };
  }

  /** The query's embedding, or none when the embedder fails: semantic ranking is a bonus, not a condition. */
  private async queryVector(embedder: Embedder, query: string): Promise<string | undefined> {
    try {
      return quantize(await embedder.embed(query));
    } catch (error) {
      this.onEmbeddingFailure(error);
      return undefined;
    }
  }
}
