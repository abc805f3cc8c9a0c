import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDocumentRepository } from '../../../../lambdas/adapters/dynamodb/document-repository';
import { ConflictError } from '../../../../lambdas/domain/errors';
import type { RoomDocument } from '../../../../lambdas/domain/knowledge/documents';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());
const repository = () => new DynamoDocumentRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'knowledge');
const conditionFailed = () => Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

const doc: RoomDocument = {
  roomId: 'r1',
  documentId: 'D1',
  name: 'Guide.md',
  contentType: 'text/markdown',
  size: 10,
  version: 1,
  status: 'pending',
  uploadedBy: 'u-alice',
  uploadedAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:00.000Z',
};
const item = { ...doc, sk: 'DOC#D1', entity: 'knowledgeDocument' };

describe('DynamoDocumentRepository', () => {
  it('writes a new document only where none is', async () => {
    ddb.on(PutCommand).resolves({});

    await repository().putPending(doc);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'knowledge',
      Item: item,
      ConditionExpression: 'attribute_not_exists(#sk)',
    });
  });

  it('writes the next version only over the version read, and reports a race as a conflict', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(repository().putPending({ ...doc, version: 2 }, 1)).rejects.toBeInstanceOf(ConflictError);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: '#version = :previous',
      ExpressionAttributeValues: { ':previous': 1 },
    });
  });

  it('reads a record consistently, and lists the room’s DOC# range only', async () => {
    ddb.on(GetCommand).resolves({ Item: item });
    ddb.on(QueryCommand).resolves({ Items: [item] });

    expect(await repository().getDocument('r1', 'D1')).toEqual(doc);
    expect(await repository().listDocuments('r1')).toEqual([doc]);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { roomId: 'r1', sk: 'DOC#D1' }, ConsistentRead: true });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#pk = :room AND begins_with(#sk, :doc)',
      ExpressionAttributeValues: { ':room': 'r1', ':doc': 'DOC#' },
    });
  });

  it('marks a version ready with its counts, conditional on the version', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...item, status: 'ready', indexedVersion: 1, chunks: 4, pages: 2 } });

    const updated = await repository().setStatus('r1', 'D1', 1, { status: 'ready', updatedAt: 'T', indexed: { chunks: 4, pages: 2 } });

    expect(updated).toMatchObject({ status: 'ready', indexedVersion: 1, chunks: 4, pages: 2 });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { roomId: 'r1', sk: 'DOC#D1' },
      UpdateExpression: 'SET #status = :status, #updatedAt = :updatedAt, #indexedVersion = :version, #chunks = :chunks, #pages = :pages REMOVE #reason',
      ConditionExpression: '#version = :version',
      ExpressionAttributeValues: { ':version': 1, ':status': 'ready', ':updatedAt': 'T', ':chunks': 4, ':pages': 2 },
    });
  });

  it('changes nothing, and says so, for another version or a deleted document', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());

    expect(await repository().setStatus('r1', 'D1', 1, { status: 'failed', updatedAt: 'T', reason: 'no text' })).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET #status = :status, #updatedAt = :updatedAt, #reason = :reason',
      ExpressionAttributeValues: { ':version': 1, ':status': 'failed', ':updatedAt': 'T', ':reason': 'no text' },
    });
  });

  it('deletes the record by its key', async () => {
    ddb.on(DeleteCommand).resolves({});

    await repository().deleteDocument('r1', 'D1');

    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'knowledge', Key: { roomId: 'r1', sk: 'DOC#D1' } });
  });
});
