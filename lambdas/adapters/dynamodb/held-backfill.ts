import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isHeld } from '../../domain/moderation/held';
import type { HeldQueue } from '../../domain/moderation/ports';
import type { Item } from './items';
import { expiresAtOf, isMessageItem, toMessage } from './message-items';

export interface HeldBackfillOutcome {
  /** Items the scan read (every item of the messages table). */
  readonly scanned: number;
  /** Held messages given their marker. */
  readonly held: number;
}

/**
 * Gives every message held for review before the review queue existed its
 * marker, once, for a deployment that wants them listed: one Scan of the
 * messages table (every item is read and billed; the filter only trims what
 * comes back) and one idempotent PutItem per held message, with the
 * message's own expiry. Safe to run again or alongside the moderation
 * consumer, which writes the same markers.
 *
 * @example
 * await backfillHeldMarkers(client, 'Parley-prod-Messages', heldQueue);
 */
export async function backfillHeldMarkers(
  client: DynamoDBDocumentClient,
  messagesTable: string,
  queue: Pick<HeldQueue, 'hold'>,
): Promise<HeldBackfillOutcome> {
  let scanned = 0;
  let held = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: messagesTable,
        FilterExpression: '#moderation = :quarantined AND attribute_not_exists(hiddenBy)',
        ExpressionAttributeNames: { '#moderation': 'moderation' },
        ExpressionAttributeValues: { ':quarantined': 'quarantined' },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    scanned += page.ScannedCount ?? 0;
    for (const item of (page.Items ?? []) as Item[]) {
      if (!isMessageItem(item)) continue;
      const message = toMessage(item);
      if (!isHeld(message)) continue;
      const expiresAt = expiresAtOf(item);
      await queue.hold({ roomId: message.roomId, messageId: message.messageId, ...(expiresAt !== undefined ? { expiresAt } : {}) });
      held += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { scanned, held };
}
