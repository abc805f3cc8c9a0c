import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { toItem, toMessage } from '../../../../lambdas/adapters/dynamodb/message-items';
import { DynamoMessageRepository } from '../../../../lambdas/adapters/dynamodb/message-repository';
import type { MessageEdit } from '../../../../lambdas/domain/ports';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
const M1 = '01KA0000000000000000000001';
const repository = () => new DynamoMessageRepository(documentClient(), 'messages');

const stored = {
  roomId: 'r1',
  messageId: M1,
  senderId: 'alice',
  senderName: 'Alice',
  senderType: 'human' as const,
  text: 'hello @bob',
  clientMessageId: 'c1',
  createdAt: '2026-12-01T10:00:00.000Z',
  moderation: 'allowed' as const,
  decision: 'allowed' as const,
  reasons: [],
  mentions: [{ kind: 'member' as const, id: 'u-bob' }],
  editedAt: '2026-12-01T10:01:00.000Z',
};

const edit = (patch: Partial<MessageEdit> = {}): MessageEdit => ({
  roomId: 'r1',
  messageId: M1,
  senderId: 'alice',
  previousEditedAt: undefined,
  editedAt: '2026-12-01T10:02:00.000Z',
  text: 'hello @scout',
  moderation: 'allowed',
  reasons: [],
  redacted: false,
  mentions: [{ kind: 'agent', id: 'scout' }],
  ...patch,
});

afterEach(() => ddb.reset());

describe('message item', () => {
  it('keeps the mentions and the edited marker through a write and a read', () => {
    expect(toMessage(toItem(stored))).toMatchObject({ mentions: stored.mentions, editedAt: stored.editedAt });
  });

  it('writes no mentions attribute for a message that mentions nobody', () => {
    expect(toItem({ ...stored, mentions: [] })).not.toHaveProperty('mentions');
  });

  it('skips stored mention entries that are not mentions instead of failing the read', () => {
    const item = { ...toItem(stored), mentions: [{ kind: 'member', id: 'u-bob' }, { kind: 'robot', id: 1 }, null] };

    expect(toMessage(item).mentions).toEqual([{ kind: 'member', id: 'u-bob' }]);
  });
});

describe('DynamoMessageRepository.editMessage', () => {
  it('writes the edit with one UpdateItem conditioned on the sender, readability and the version read', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: toItem({ ...stored, text: 'hello @scout' }) });

    const result = await repository().editMessage(edit({ previousEditedAt: stored.editedAt }));

    expect(result).toMatchObject({ text: 'hello @scout' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'messages',
      Key: { roomId: 'r1', sk: `MSG#${M1}` },
      ConditionExpression:
        'senderId = :sender AND #moderation IN (:allowed, :redacted) AND attribute_not_exists(hiddenBy) AND #editedAt = :previousEditedAt',
      ExpressionAttributeValues: expect.objectContaining({
        ':sender': 'alice',
        ':previousEditedAt': stored.editedAt,
        ':text': 'hello @scout',
        ':mentions': [{ kind: 'agent', id: 'scout' }],
      }),
      ReturnValues: 'ALL_NEW',
    });
  });

  it('requires a never-edited message to be still unedited, and removes mentions an edit no longer has', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: toItem(stored) });

    await repository().editMessage(edit({ mentions: [] }));

    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('attribute_not_exists(#editedAt)');
    expect(input.UpdateExpression).toContain('REMOVE mentions');
    expect(input.ExpressionAttributeValues).not.toHaveProperty(':mentions');
  });

  it('resolves undefined when a condition fails, so the use case can refuse the edit', async () => {
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());

    await expect(repository().editMessage(edit())).resolves.toBeUndefined();
  });

  it('throws any other failure', async () => {
    ddb.on(UpdateCommand).rejects(new Error('throttled'));

    await expect(repository().editMessage(edit())).rejects.toThrow('throttled');
  });
});

describe('DynamoMessageRepository.getMessage', () => {
  it('reads one message consistently', async () => {
    ddb.on(GetCommand).resolves({ Item: toItem(stored) });

    await expect(repository().getMessage('r1', M1)).resolves.toMatchObject({ text: 'hello @bob' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { roomId: 'r1', sk: `MSG#${M1}` }, ConsistentRead: true });
  });
});
