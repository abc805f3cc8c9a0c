import {
  GetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRoomRepository } from '../../../../lambdas/adapters/dynamodb/room-repository';
import { publicRoomCursor } from '../../../../lambdas/domain/cursors';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/domain/errors';
import type { Invitation, Membership, Room } from '../../../../lambdas/domain/types';
import { documentClient, transactionCanceled } from '../../../support/dynamodb';

const TABLE = 'rooms';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DynamoRoomRepository(documentClient(), TABLE);

const room: Room = {
  roomId: 'r1',
  name: 'General',
  visibility: 'public',
  ownerId: 'alice',
  createdAt: '2026-11-02T10:00:00.000Z',
};
const owner: Membership = {
  roomId: 'r1',
  userId: 'alice',
  displayName: 'Alice',
  role: 'owner',
  joinedAt: '2026-11-02T10:00:00.000Z',
};
const bob: Membership = {
  roomId: 'r1',
  userId: 'bob',
  displayName: 'Bob',
  role: 'member',
  joinedAt: '2026-11-02T10:05:00.000Z',
};

const metaItem = {
  pk: 'ROOM#r1',
  sk: 'META',
  entity: 'room',
  ...room,
  gsi2pk: 'PUBLIC',
  gsi2sk: '2026-11-02T10:00:00.000Z#r1',
  // The byName index: kind and first character of the folded name / folded name and id.
  gsi3pk: 'ROOM#g',
  gsi3sk: 'general#r1',
};
const memberItem = (m: Membership, r: Room = room) => ({
  pk: `ROOM#${m.roomId}`,
  sk: `MEMBER#${m.userId}`,
  entity: 'membership',
  ...m,
  gsi1pk: `USER#${m.userId}`,
  gsi1sk: `ROOM#${m.roomId}`,
  roomName: r.name,
  roomVisibility: r.visibility,
  roomOwnerId: r.ownerId,
  roomCreatedAt: r.createdAt,
});

afterEach(() => {
  expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  ddb.reset();
});

describe('DynamoRoomRepository.createRoom', () => {
  it('writes a public room with its owner in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository().createRoom(room, owner);

    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { TableName: TABLE, Item: metaItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: TABLE, Item: memberItem(owner) } },
      ],
    });
  });

  it('keeps a private room out of the public index', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const secret: Room = { ...room, visibility: 'private' };

    await repository().createRoom(secret, owner);

    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toEqual({ pk: 'ROOM#r1', sk: 'META', entity: 'room', ...secret });
  });

  it('keeps a game room’s mode, and reads it back', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const game: Room = { ...room, visibility: 'private', mode: 'imposter' };

    await repository().createRoom(game, owner);

    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({ mode: 'imposter' });
    ddb.on(GetCommand).resolves({ Item: put?.Item });
    expect((await repository().getRoom('r1'))?.mode).toBe('imposter');
  });

  it('reports an existing room as a conflict', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('ConditionalCheckFailed', 'None'));

    await expect(repository().createRoom(room, owner)).rejects.toBeInstanceOf(ConflictError);
  });

  it('rethrows other failures', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'TransactionConflict'));

    await expect(repository().createRoom(room, owner)).rejects.toThrow('Transaction cancelled');
  });
});

describe('DynamoRoomRepository.getRoom', () => {
  it('reads the META item and returns only the domain fields', async () => {
    ddb.on(GetCommand).resolves({ Item: metaItem });

    const found = await repository().getRoom('r1');

    expect(found).toEqual(room);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'ROOM#r1', sk: 'META' },
      ConsistentRead: true,
    });
  });

  it('returns undefined for an unknown room', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await repository().getRoom('nope')).toBeUndefined();
  });
});

describe('DynamoRoomRepository.getMembership', () => {
  it('reads the MEMBER item consistently and strips keys and copies', async () => {
    ddb.on(GetCommand).resolves({ Item: memberItem(bob) });

    const found = await repository().getMembership('r1', 'bob');

    expect(found).toEqual(bob);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'ROOM#r1', sk: 'MEMBER#bob' },
      ConsistentRead: true,
    });
  });

  it('fails loudly on an item with an unknown role', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...memberItem(bob), role: 'admin' } });

    await expect(repository().getMembership('r1', 'bob')).rejects.toThrow('unexpected "role"');
  });
});

describe('DynamoRoomRepository.putMembership', () => {
  it('writes the membership with a copy of the room and consumes the invitation', async () => {
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: metaItem });
    ddb.on(TransactWriteCommand).resolves({});

    await repository().putMembership(bob);

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { TableName: TABLE, Item: memberItem(bob) } },
        { Delete: { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'INVITE#bob' } } },
      ],
    });
  });

  it('refuses a membership of an unknown room', async () => {
    ddb.on(GetCommand).resolves({});

    await expect(repository().putMembership(bob)).rejects.toBeInstanceOf(NotFoundError);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('DynamoRoomRepository.deleteMembership', () => {
  it('deletes the MEMBER item and the read mark that belongs to it', async () => {
    ddb.on(DeleteCommand).resolves({});

    await repository().deleteMembership('r1', 'bob');

    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'MEMBER#bob' } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'READ#bob' } });
  });
});

describe('DynamoRoomRepository.listMembers', () => {
  it('queries the room partition for members and follows every page', async () => {
    const lastKey = { pk: 'ROOM#r1', sk: 'MEMBER#alice' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [memberItem(owner)], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [memberItem(bob)] });

    const members = await repository().listMembers('r1');

    expect(members).toEqual([owner, bob]);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':member': 'MEMBER#' },
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
  });
});

describe('DynamoRoomRepository.listRoomsOfUser', () => {
  it('answers from one query of the byUser index, with no read of each room', async () => {
    const other: Room = { ...room, roomId: 'r2', name: 'Secret', visibility: 'private', ownerId: 'carol' };
    const inOther: Membership = { ...bob, roomId: 'r2' };
    ddb.on(QueryCommand).resolves({ Items: [memberItem(bob), memberItem(inOther, other)] });

    const rooms = await repository().listRoomsOfUser('bob');

    expect(rooms).toEqual([
      { room, membership: bob },
      { room: other, membership: inOther },
    ]);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(QueryCommand, {
      TableName: TABLE,
      IndexName: 'byUser',
      // Only memberships: invitations share the index under INVITE# keys.
      KeyConditionExpression: 'gsi1pk = :user AND begins_with(gsi1sk, :room)',
      ExpressionAttributeValues: { ':user': 'USER#bob', ':room': 'ROOM#' },
    });
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });
});

describe('DynamoRoomRepository.listPublicRooms', () => {
  const lastKey = { pk: 'ROOM#r1', sk: 'META', gsi2pk: 'PUBLIC', gsi2sk: '2026-11-02T10:00:00.000Z#r1' };

  it('queries the publicRooms index newest first and returns a cursor', async () => {
    ddb.on(QueryCommand).resolves({ Items: [metaItem], LastEvaluatedKey: lastKey });

    const page = await repository().listPublicRooms(1);

    expect(page.items).toEqual([room]);
    expect(page.nextCursor).toBe(publicRoomCursor(room));
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      IndexName: 'publicRooms',
      KeyConditionExpression: 'gsi2pk = :public',
      ExpressionAttributeValues: { ':public': 'PUBLIC' },
      ScanIndexForward: false,
      Limit: 1,
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).not.toHaveProperty('ExclusiveStartKey');
  });

  it('resumes from the cursor it issued, or from the one a room makes', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [metaItem], LastEvaluatedKey: lastKey }).resolves({ Items: [] });
    const first = await repository().listPublicRooms(1);

    const second = await repository().listPublicRooms(1, first.nextCursor);
    await repository().listPublicRooms(1, publicRoomCursor(room));

    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 3, { ExclusiveStartKey: lastKey });
    expect(second).toEqual({ items: [] });
  });

  it.each([
    ['without a time', 'r1'],
    ['without a room', '2026-11-02T10:00:00.000Z#'],
    ['not a time', 'yesterday#r1'],
  ])('rejects a cursor that is %s', async (_, cursor) => {
    await expect(repository().listPublicRooms(10, cursor)).rejects.toBeInstanceOf(ValidationError);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('DynamoRoomRepository.pageMembers', () => {
  it('reads one page of the room partition and continues from the last member', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [memberItem(owner)], LastEvaluatedKey: { pk: 'ROOM#r1', sk: 'MEMBER#alice' } })
      .resolvesOnce({ Items: [memberItem(bob)] });

    const first = await repository().pageMembers('r1', { limit: 1 });
    const second = await repository().pageMembers('r1', { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [owner], nextCursor: 'alice' });
    expect(second).toEqual({ items: [bob] });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':member': 'MEMBER#' },
      Limit: 1,
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).not.toHaveProperty('ExclusiveStartKey');
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: { pk: 'ROOM#r1', sk: 'MEMBER#alice' } });
  });
});

describe('DynamoRoomRepository.pageRoomsOfUser', () => {
  it('reads one page of the byUser index and continues from the last room', async () => {
    const lastOfUser = { pk: 'ROOM#r1', sk: 'MEMBER#bob', gsi1pk: 'USER#bob', gsi1sk: 'ROOM#r1' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [memberItem(bob)], LastEvaluatedKey: lastOfUser })
      .resolvesOnce({ Items: [] });

    const first = await repository().pageRoomsOfUser('bob', { limit: 1 });
    const second = await repository().pageRoomsOfUser('bob', { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [{ room, membership: bob }], nextCursor: 'r1' });
    expect(second).toEqual({ items: [] });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      IndexName: 'byUser',
      // Only memberships: invitations share the index under INVITE# keys.
      KeyConditionExpression: 'gsi1pk = :user AND begins_with(gsi1sk, :room)',
      ExpressionAttributeValues: { ':user': 'USER#bob', ':room': 'ROOM#' },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastOfUser });
  });
});

describe('DynamoRoomRepository invitations', () => {
  const invitation: Invitation = {
    roomId: 'r1',
    userId: 'dave',
    role: 'moderator',
    invitedBy: 'alice',
    invitedByName: 'Alice',
    inviteeName: 'Dave',
    invitedAt: '2026-11-02T11:00:00.000Z',
    roomName: 'Lobby',
    expiresAt: '2026-11-09T11:00:00.000Z',
  };
  const { expiresAt, ...stored } = invitation;
  const inviteItem = {
    pk: 'ROOM#r1',
    sk: 'INVITE#dave',
    entity: 'invitation',
    ...stored,
    expiresAtIso: expiresAt,
    expiresAt: Date.parse(expiresAt) / 1000,
    gsi1pk: 'USER#dave',
    gsi1sk: 'INVITE#r1',
  };

  it('stores an INVITE item under its invitee in the byUser index, with the TTL of its expiry', async () => {
    ddb.on(PutCommand).resolves({});

    await repository().putInvitation(invitation);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: inviteItem });
  });

  it('reads an INVITE item back as an invitation', async () => {
    ddb.on(GetCommand, { Key: { pk: 'ROOM#r1', sk: 'INVITE#dave' } }).resolves({ Item: inviteItem });

    expect(await repository().getInvitation('r1', 'dave')).toEqual(invitation);
  });

  it('reads an invitation stored before names and expiry as already expired, with ids for names', async () => {
    const legacy = { pk: 'ROOM#r1', sk: 'INVITE#dave', entity: 'invitation', roomId: 'r1', userId: 'dave', role: 'member', invitedBy: 'alice', invitedAt: '2026-11-02T11:00:00.000Z' };
    ddb.on(GetCommand).resolves({ Item: legacy });

    expect(await repository().getInvitation('r1', 'dave')).toMatchObject({
      invitedByName: 'alice',
      inviteeName: 'dave',
      roomName: 'r1',
      expiresAt: '2026-11-02T11:00:00.000Z',
    });
  });

  it('returns undefined when there is no invitation', async () => {
    ddb.on(GetCommand).resolves({});

    expect(await repository().getInvitation('r1', 'erin')).toBeUndefined();
  });

  it('deletes an invitation and says whether there was one', async () => {
    ddb.on(DeleteCommand).resolvesOnce({ Attributes: inviteItem }).resolvesOnce({});

    expect(await repository().deleteInvitation('r1', 'dave')).toBe(true);
    expect(await repository().deleteInvitation('r1', 'dave')).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE, Key: { pk: 'ROOM#r1', sk: 'INVITE#dave' } });
  });

  it('pages a user’s invitations from the byUser index, INVITE# keys only, continuing after the last room', async () => {
    const last = { pk: 'ROOM#r1', sk: 'INVITE#dave', gsi1pk: 'USER#dave', gsi1sk: 'INVITE#r1' };
    ddb.on(QueryCommand).resolvesOnce({ Items: [inviteItem], LastEvaluatedKey: last }).resolvesOnce({ Items: [] });

    const first = await repository().pageInvitationsOfUser('dave', { limit: 1 });
    const second = await repository().pageInvitationsOfUser('dave', { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [invitation], nextCursor: 'r1' });
    expect(second).toEqual({ items: [] });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      IndexName: 'byUser',
      KeyConditionExpression: 'gsi1pk = :user AND begins_with(gsi1sk, :invite)',
      ExpressionAttributeValues: { ':user': 'USER#dave', ':invite': 'INVITE#' },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: last });
  });

  it('pages a room’s invitations on its own partition, INVITE# keys only, by invitee', async () => {
    const last = { pk: 'ROOM#r1', sk: 'INVITE#dave' };
    ddb.on(QueryCommand).resolvesOnce({ Items: [inviteItem], LastEvaluatedKey: last }).resolvesOnce({ Items: [] });

    const first = await repository().pageInvitationsOfRoom('r1', { limit: 1 });
    const second = await repository().pageInvitationsOfRoom('r1', { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [invitation], nextCursor: 'dave' });
    expect(second).toEqual({ items: [] });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :invite)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':invite': 'INVITE#' },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: last });
  });
});

describe('DynamoRoomRepository room modes', () => {
  const game: Room = { ...room, mode: 'imposter' };

  it('stores a game room’s mode on the room and on its owner’s membership copy', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository().createRoom(game, owner);

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { TableName: TABLE, Item: { ...metaItem, mode: 'imposter' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: TABLE, Item: { ...memberItem(owner, game), roomMode: 'imposter' } } },
      ],
    });
  });

  it('reads the mode back from the room item and from a membership copy', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...metaItem, mode: 'dialogue' } });
    ddb.on(QueryCommand).resolves({ Items: [{ ...memberItem(owner, game), roomMode: 'imposter' }] });

    expect(await repository().getRoom('r1')).toEqual({ ...room, mode: 'dialogue' });
    expect((await repository().listRoomsOfUser('alice'))[0]?.room).toEqual(game);
  });

  it('reads a room stored before modes as a room with no mode (chat)', async () => {
    ddb.on(GetCommand).resolves({ Item: metaItem });

    expect(await repository().getRoom('r1')).not.toHaveProperty('mode');
  });

  it('refuses a stored mode it does not know rather than guessing one', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...metaItem, mode: 'poker' } });

    await expect(repository().getRoom('r1')).rejects.toThrow('Stored item has an unexpected "mode".');
  });

  it('keeps an invitation’s room mode', async () => {
    const invitation: Invitation = {
      roomId: 'r1',
      userId: 'dave',
      role: 'member',
      invitedBy: 'alice',
      invitedByName: 'Alice',
      inviteeName: 'Dave',
      invitedAt: '2026-11-02T11:00:00.000Z',
      roomName: 'Lobby',
      roomMode: 'imposter',
      expiresAt: '2026-11-09T11:00:00.000Z',
    };
    ddb.on(PutCommand).resolves({});

    await repository().putInvitation(invitation);
    const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
    ddb.on(GetCommand).resolves({ Item: item });

    expect(item).toMatchObject({ roomMode: 'imposter' });
    expect(await repository().getInvitation('r1', 'dave')).toEqual(invitation);
  });
});
