import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoLiveReplyStore } from '../../../../lambdas/adapters/dynamodb/live-reply-store';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoLiveReplyStore(documentClient(), 'connections');

afterEach(() => ddb.reset());

describe('DynamoLiveReplyStore', () => {
  it('keeps a streaming reply in the connections table, expired an hour later', async () => {
    ddb.on(PutCommand).resolves({});

    await store.start({ roomId: 'r1', replyId: 'R1', handle: 'guide', triggerMessageId: 'M1', askedBy: 'u-bob' }, Date.UTC(2026, 11, 6));

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'connections',
      Item: {
        pk: 'AGENTREPLY#r1',
        sk: 'R1',
        entity: 'agentLiveReply',
        handle: 'guide',
        triggerMessageId: 'M1',
        askedBy: 'u-bob',
        expiresAt: Date.UTC(2026, 11, 6) / 1000 + 3600,
      },
    });
  });

  it('reads a reply with who asked, whether it is done and who asked it to stop', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: 'AGENTREPLY#r1', sk: 'R1', entity: 'agentLiveReply', handle: 'guide', triggerMessageId: 'M1', askedBy: 'u-bob', done: true, stopRequestedBy: 'u-alice' },
    });

    const reply = await store.get('r1', 'R1');

    expect(reply).toEqual({ roomId: 'r1', replyId: 'R1', handle: 'guide', triggerMessageId: 'M1', askedBy: 'u-bob', done: true, stopRequestedBy: 'u-alice' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { pk: 'AGENTREPLY#r1', sk: 'R1' }, ConsistentRead: true });
  });

  it('asks a reply to stop with one write conditioned on it streaming still', async () => {
    ddb.on(UpdateCommand).resolves({});

    expect(await store.requestStop('r1', 'R1', 'u-bob')).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'AGENTREPLY#r1', sk: 'R1' },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(done)',
    });
  });

  it('answers false when the reply is stored already or unknown', async () => {
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());

    expect(await store.requestStop('r1', 'R1', 'u-bob')).toBe(false);
  });

  it('reads a stop request with an eventually consistent read of one attribute', async () => {
    ddb.on(GetCommand).resolves({ Item: { stopRequestedBy: 'u-bob' } });

    expect(await store.stopRequested('r1', 'R1')).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { ProjectionExpression: 'stopRequestedBy' });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBeUndefined();
  });

  it('marks a reply done, and leaves nothing behind for a reply whose item expired', async () => {
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());

    await expect(store.finish('r1', 'R1')).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'SET done = :true', ConditionExpression: 'attribute_exists(pk)' });
  });

  describe('regeneration claims', () => {
    const claim = { roomId: 'r1', handle: 'guide', triggerMessageId: 'M1', attempt: 2 };
    const nowMs = Date.UTC(2026, 10, 21, 12, 0, 0);

    it('claims an attempt with one conditional put that expires, and refuses a live claim', async () => {
      ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());

      expect(await store.claimRegeneration({ ...claim, requestedBy: 'u-bob' }, nowMs)).toBe(true);
      expect(await store.claimRegeneration({ ...claim, requestedBy: 'u-alice' }, nowMs)).toBe(false);
      expect(ddb).toHaveReceivedCommandWith(PutCommand, {
        TableName: 'connections',
        Item: {
          pk: 'AGENTREGEN#r1',
          sk: 'M1#guide#2',
          entity: 'agentRegeneration',
          requestedBy: 'u-bob',
          expiresAt: nowMs / 1000 + 15 * 60,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': nowMs / 1000 },
      });
    });

    it('gives a claim back by deleting it', async () => {
      ddb.on(DeleteCommand).resolves({});

      await store.releaseRegeneration(claim);

      expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'connections', Key: { pk: 'AGENTREGEN#r1', sk: 'M1#guide#2' } });
    });
  });
});
