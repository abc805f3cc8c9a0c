import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, stubHandlerEnv, wsEvent } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const management = mockClient(ApiGatewayManagementApiClient);

let actions: (typeof import('../../../lambdas/handlers/documents'))['handler'];
let ingest: (typeof import('../../../lambdas/handlers/ingest-documents'))['handler'];

const DOC = '01JD2Z8Q4M3V9X0K7F2B6C1N8R';
const roomItem = { pk: 'ROOM#r1', sk: 'META', roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-11-21T09:00:00.000Z' };
const member = (userId: string, role: string) => ({ pk: 'ROOM#r1', sk: `MEMBER#${userId}`, roomId: 'r1', userId, displayName: userId, role, joinedAt: '2026-11-21T09:00:00.000Z' });
const docItem = (status: string, version = 1) => ({
  roomId: 'r1',
  sk: `DOC#${DOC}`,
  documentId: DOC,
  name: 'Guide.md',
  contentType: 'text/markdown',
  size: 5,
  version,
  status,
  uploadedBy: 'u-alice',
  uploadedAt: 'T',
  updatedAt: 'T',
});

beforeAll(async () => {
  stubHandlerEnv({ AUDIT_TABLE: 'audit', KNOWLEDGE_TABLE: 'knowledge', DOCUMENTS_BUCKET: 'documents', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
  ({ handler: actions } = await import('../../../lambdas/handlers/documents'));
  ({ handler: ingest } = await import('../../../lambdas/handlers/ingest-documents'));
});

beforeEach(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'META' } }).resolves({ Item: roomItem });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-alice' } }).resolves({ Item: member('u-alice', 'owner') });
  ddb.on(GetCommand, { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'MEMBER#u-bob' } }).resolves({ Item: member('u-bob', 'member') });
  ddb.on(QueryCommand, { TableName: 'rooms' }).resolves({ Items: [member('u-alice', 'owner'), member('u-bob', 'member')] });
  ddb.on(QueryCommand, { TableName: 'connections' }).resolves({ Items: [{ connectionId: 'c-alice', userId: 'u-alice' }, { connectionId: 'c-bob', userId: 'u-bob' }] });
  ddb.on(QueryCommand, { TableName: 'knowledge' }).resolves({ Items: [] });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  management.on(PostToConnectionCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  s3.reset();
  management.reset();
});

const invoke = async (body: Record<string, unknown>, user = { userId: 'u-alice', displayName: 'Alice' }) => {
  const result = (await actions(wsEvent({ body, routeKey: String(body['action']), user }), lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Record<string, unknown>;
};
const posted = () => management.commandCalls(PostToConnectionCommand).map((c) => ({ to: c.args[0].input.ConnectionId, frame: JSON.parse(String(c.args[0].input.Data)) }));

describe('documents handler', () => {
  it('grants an upload: the record written pending, a POST form in the ack, the owner told', async () => {
    const frame = await invoke({ action: 'requestDocumentUpload', requestId: 'q1', roomId: 'r1', name: 'Guide.md', contentType: 'text/markdown', size: 5 });

    expect(frame).toMatchObject({ type: 'ack', action: 'requestDocumentUpload', requestId: 'q1', data: { document: { name: 'Guide.md', status: 'pending', version: 1 } } });
    const data = frame['data'] as { upload: { url: string; fields: Record<string, string> } };
    expect(data.upload.url).toContain('documents');
    expect(data.upload.fields['key']).toMatch(/^rooms\/r1\/documents\/[0-9A-Z]{26}\/v1$/);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'knowledge', Item: expect.objectContaining({ status: 'pending', sk: expect.stringMatching(/^DOC#/) }) });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'audit', Item: expect.objectContaining({ action: 'document.uploadRequested' }) });
    expect(posted()).toEqual([{ to: 'c-alice', frame: expect.objectContaining({ type: 'documentStatus', status: 'pending' }) }]);
  });

  it('answers a member’s upload with FORBIDDEN and writes nothing', async () => {
    const frame = await invoke({ action: 'requestDocumentUpload', roomId: 'r1', name: 'Guide.md', contentType: 'text/markdown', size: 5 }, { userId: 'u-bob', displayName: 'Bob' });

    expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(ddb).not.toHaveReceivedCommandWith(PutCommand, { TableName: 'knowledge' });
  });

  it('opens a cited passage for a member: the chunk through the index, the name from the record', async () => {
    ddb.on(GetCommand, { TableName: 'knowledge', Key: { roomId: 'r1', sk: `DOC#${DOC}` } }).resolves({ Item: { ...docItem('ready', 2), indexedVersion: 2 } });
    ddb.on(GetCommand, { TableName: 'knowledge', Key: { roomId: 'r1', sk: `CHUNK#${DOC}#000002#000001` } }).resolves({
      Item: { documentId: DOC, version: 2, chunk: 1, section: 'Returns', text: 'Free for 30 days.' },
    });

    const frame = await invoke({ action: 'getDocumentPassage', requestId: 'q2', roomId: 'r1', documentId: DOC, version: 2, chunk: 1 }, { userId: 'u-bob', displayName: 'Bob' });

    expect(frame).toMatchObject({
      type: 'ack',
      action: 'getDocumentPassage',
      requestId: 'q2',
      data: { roomId: 'r1', documentId: DOC, version: 2, chunk: 1, name: 'Guide.md', section: 'Returns', text: 'Free for 30 days.' },
    });
  });

  it('answers a non-member FORBIDDEN without reading the document', async () => {
    const frame = await invoke({ action: 'getDocumentPassage', roomId: 'r1', documentId: DOC, version: 1, chunk: 0 }, { userId: 'u-mallory', displayName: 'Mallory' });

    expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(ddb).not.toHaveReceivedCommandWith(GetCommand, { TableName: 'knowledge' });
  });

  it('answers NOT_FOUND for a superseded version', async () => {
    ddb.on(GetCommand, { TableName: 'knowledge', Key: { roomId: 'r1', sk: `DOC#${DOC}` } }).resolves({ Item: { ...docItem('ready', 2), indexedVersion: 2 } });

    const frame = await invoke({ action: 'getDocumentPassage', roomId: 'r1', documentId: DOC, version: 1, chunk: 0 });

    expect(frame).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
  });

  it('refuses a malformed passage request (bad id, negative chunk, fractional version) before any read', async () => {
    for (const bad of [{ documentId: '../x', version: 1, chunk: 0 }, { documentId: DOC, version: 1, chunk: -1 }, { documentId: DOC, version: 1.5, chunk: 0 }]) {
      const frame = await invoke({ action: 'getDocumentPassage', roomId: 'r1', ...bad });
      expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    }
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('refuses a malformed document id before any read', async () => {
    const frame = await invoke({ action: 'deleteDocument', roomId: 'r1', documentId: '../x' });

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', message: expect.stringContaining('documentId') });
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });
});

const recordOf = (id: string, body: unknown, receiveCount = 1): SQSRecord => ({
  messageId: id,
  receiptHandle: `r-${id}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 's3', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:1:ingest',
  awsRegion: 'eu-west-1',
});
const s3Event = (key: string) => ({ Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: 'documents' }, object: { key, size: 5 } } }] });

describe('ingestion handler', () => {
  it('takes an uploaded version through its statuses to the index’s verdict, telling the owner', async () => {
    ddb.on(GetCommand, { TableName: 'knowledge' }).resolves({ Item: docItem('pending') });
    ddb.on(UpdateCommand, { TableName: 'knowledge' }).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
      Attributes: { ...docItem(String(input.ExpressionAttributeValues[':status'])), ...(input.ExpressionAttributeValues[':reason'] ? { reason: input.ExpressionAttributeValues[':reason'] } : {}) },
    }));
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5, ContentType: 'text/markdown' });
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new TextEncoder().encode('hello') } } as never);
    ddb.on(BatchWriteCommand).resolves({});

    const result = await ingest({ Records: [recordOf('m1', s3Event(`rooms/r1/documents/${DOC}/v1`))] } as SQSEvent, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    const statuses = posted().filter((p) => p.to === 'c-alice').map((p) => p.frame.status);
    expect(statuses).toEqual(['uploaded', 'indexing', 'ready']);
    expect(posted().filter((p) => p.to === 'c-bob')).toEqual([]);
    // The index wrote the version's one chunk before the record said ready.
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, { RequestItems: { knowledge: [expect.objectContaining({ PutRequest: expect.anything() })] } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'knowledge',
      ConditionExpression: '#version = :version',
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'ready' }),
    });
  });

  it('fails a document the index cannot read, with the index’s reason, and does not retry it', async () => {
    ddb.on(GetCommand, { TableName: 'knowledge' }).resolves({ Item: { ...docItem('pending'), contentType: 'application/pdf' } });
    ddb.on(UpdateCommand, { TableName: 'knowledge' }).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
      Attributes: { ...docItem(String(input.ExpressionAttributeValues[':status'])), ...(input.ExpressionAttributeValues[':reason'] ? { reason: input.ExpressionAttributeValues[':reason'] } : {}) },
    }));
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5, ContentType: 'application/pdf' });
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new TextEncoder().encode('hello') } } as never);

    const result = await ingest({ Records: [recordOf('m1', s3Event(`rooms/r1/documents/${DOC}/v1`))] } as SQSEvent, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(posted().filter((p) => p.to === 'c-alice').map((p) => p.frame.status)).toEqual(['uploaded', 'indexing', 'failed']);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'knowledge',
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'failed', ':reason': expect.stringMatching(/PDF/i) }),
    });
  });

  it('reports a message that is not an S3 event as a failure, for retry and the dead-letter queue', async () => {
    const result = await ingest({ Records: [recordOf('bad', 'nope'), recordOf('test', { Event: 's3:TestEvent' })] } as SQSEvent, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('skips an object of a version that is no longer the document’s', async () => {
    ddb.on(GetCommand, { TableName: 'knowledge' }).resolves({ Item: docItem('pending', 2) });

    const result = await ingest({ Records: [recordOf('m1', s3Event(`rooms/r1/documents/${DOC}/v1`))] } as SQSEvent, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });
});
