import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { backfillHeldMarkers } from '../../../../lambdas/adapters/dynamodb/held-backfill';
import { toItem } from '../../../../lambdas/adapters/dynamodb/message-items';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import { documentClient } from '../../../support/dynamodb';
import { FakeHeldQueue } from '../../../support/fakes/moderation';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  ddb.reset();
});

const item = (messageId: string, patch: Partial<ModeratedMessage>, expiresAt?: number) =>
  toItem(
    {
      roomId: 'r1',
      messageId,
      senderId: 'sam',
      senderName: 'Sam',
      senderType: 'human',
      text: 'hi',
      clientMessageId: messageId,
      createdAt: '2026-11-21T12:00:00.000Z',
      moderation: 'quarantined',
      ...patch,
    },
    expiresAt,
  );

describe('backfillHeldMarkers', () => {
  it('scans every page for held messages and gives each its marker with its expiry', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [item('M1', {}, 1_900_000_000)], ScannedCount: 100, LastEvaluatedKey: { roomId: 'r1', sk: 'MSG#M1' } })
      .resolvesOnce({ Items: [item('M2', {}), item('M3', { hidden: { by: 'mo', at: 'x' } })], ScannedCount: 40 });
    const queue = new FakeHeldQueue();

    const outcome = await backfillHeldMarkers(documentClient(), 'messages', queue);

    expect(outcome).toEqual({ scanned: 140, held: 2 });
    expect([...queue.markers.values()]).toEqual([
      { roomId: 'r1', messageId: 'M1', expiresAt: 1_900_000_000, version: expect.any(String) },
      { roomId: 'r1', messageId: 'M2', version: expect.any(String) },
    ]);
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, {
      TableName: 'messages',
      FilterExpression: '#moderation = :quarantined AND attribute_not_exists(hiddenBy)',
    });
    expect(ddb.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ roomId: 'r1', sk: 'MSG#M1' });
  });
});
