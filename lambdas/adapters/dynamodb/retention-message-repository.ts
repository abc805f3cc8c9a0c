import type { HistoryQuery, MessageRepository, SaveResult } from '../../domain/ports';
import { expiresAtOf } from '../../domain/retention/policy';
import type { RetentionLookup } from '../../domain/retention/ports';
import type { Message, Page } from '../../domain/types';

/**
 * Builds the repository that stores messages, given the function it must
 * call for each message's TTL (the `expiresAt` option of
 * DynamoMessageRepository and of the other message stores).
 */
export type MessageRepositoryFactory<R extends MessageRepository> = (
  expiresAt: (message: Message) => number | undefined,
) => R;

/**
 * A message repository that stamps every new message with the expiry its
 * room's retention policy gives it. The policy comes from a RetentionLookup
 * (cached per function instance), resolved before the write, so the stored
 * item carries its TTL attribute from its first version on and no extra
 * write is ever needed.
 *
 * @example
 * const messages = new RetentionStampedMessages(retention, (expiresAt) =>
 *   new DynamoMessageRepository(client, tableName, { expiresAt }));
 */
export class RetentionStampedMessages<R extends MessageRepository = MessageRepository> implements MessageRepository {
  /** The inner repository, for callers that need more than the port. */
  readonly inner: R;
  private readonly expiries = new WeakMap<Message, number>();

  constructor(
    private readonly retention: RetentionLookup,
    create: MessageRepositoryFactory<R>,
  ) {
    this.inner = create((message) => this.expiries.get(message));
  }

  /** The expiry a message of `roomId` created at `createdAtMs` gets, in epoch seconds. */
  async expiryFor(roomId: string, createdAtMs: number): Promise<number | undefined> {
    const { days } = await this.retention.retentionOf(roomId);
    return expiresAtOf(createdAtMs, days);
  }

  async saveMessage(message: Message & { clientMessageId: string }): Promise<SaveResult> {
    const expiresAt = await this.expiryFor(message.roomId, Date.parse(message.createdAt));
    if (expiresAt !== undefined) this.expiries.set(message, expiresAt);
    return this.inner.saveMessage(message);
  }

  getHistory(roomId: string, query: HistoryQuery): Promise<Page<Message>> {
    return this.inner.getHistory(roomId, query);
  }
}
