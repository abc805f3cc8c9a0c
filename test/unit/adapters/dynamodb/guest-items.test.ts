import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRoomRepository } from '../../../../lambdas/adapters/dynamodb/room-repository';
import { DynamoRateLimiter } from '../../../../lambdas/adapters/dynamodb/rate-limiter';
import type { Room } from '../../../../lambdas/domain/types';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DynamoRoomRepository(documentClient(), 'rooms');
const room: Room = { roomId: 'r1', name: 'General', visibility: 'public', ownerId: 'alice', createdAt: '2026-11-02T10:00:00.000Z', guestAccess: 'post' };

afterEach(() => ddb.reset());

describe('guests in the rooms table', () => {
  it('stores and reads a room’s guest access', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { roomId: 'r1', name: 'General', visibility: 'public', ownerId: 'alice', createdAt: room.createdAt, guestAccess: 'read' } });
    ddb.on(QueryCommand).resolves({ Items: [] });

    await repository().updateRoom(room);
    const read = await repository().getRoom('r1');

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'rooms', Item: expect.objectContaining({ guestAccess: 'post' }) });
    expect(read?.guestAccess).toBe('read');
  });

  it('stores a guest’s membership with the token’s expiry as its TTL, and reads it back', async () => {
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: { roomId: 'r1', name: 'General', visibility: 'public', ownerId: 'alice', createdAt: room.createdAt } });
    ddb.on(TransactWriteCommand).resolves({});
    const expiresAt = '2026-12-07T01:00:00.000Z';

    await repository().putMembership({ roomId: 'r1', userId: 'guest-a', displayName: 'Ada (guest)', role: 'guest', joinedAt: '2026-12-07T00:30:00.000Z', expiresAt });

    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(put).toMatchObject({ role: 'guest', expiresAt: Date.parse(expiresAt) / 1000 });
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'MEMBER#guest-a' } }).resolves({ Item: { ...put } });
    expect((await repository().getMembership('r1', 'guest-a'))?.expiresAt).toBe(expiresAt);
  });
});

describe('guest token limits on the rate limiter', () => {
  it('refuses once a key’s burst is spent, with a conditional update and no read', async () => {
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());
    const limiter = new DynamoRateLimiter(documentClient(), 'connections', { perSecond: 1, burst: 5, clock: { now: () => 1_000_000 } });

    expect(await limiter.tryAcquire('guest-ip#203.0.113.9')).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'connections', Key: { pk: 'RATE#guest-ip#203.0.113.9', sk: 'RATE' } });
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });
});
