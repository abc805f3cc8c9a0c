import { BatchGetCommand, QueryCommand, TransactWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lambdas/shared/observability';
import { lambdaContext } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (typeof import('../../../lambdas/handlers/memory-stream'))['handler'];
let handler: Handler;
const posted: Array<{ url: string; body: unknown }> = [];
let answer: () => Response = () => new Response(JSON.stringify({ data: [{ embedding: [0.6, 0.8] }] }), { status: 200 });

beforeAll(async () => {
  vi.stubEnv('MEMORY_TABLE', 'memory');
  vi.stubEnv('MEMORY_EMBEDDING_BASE_URL', 'http://127.0.0.1:11434/v1');
  vi.stubEnv('MEMORY_EMBEDDING_MODEL', 'nomic-embed-text');
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    posted.push({ url, body: JSON.parse(String(init.body)) });
    return answer();
  });
  ({ handler } = await import('../../../lambdas/handlers/memory-stream'));
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.on(BatchGetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
  posted.length = 0;
});
afterEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

const record = (sequence: string, id: string): DynamoDBRecord => {
  const image = {
    roomId: 'r1',
    sk: `MSG#${id}`,
    entity: 'message',
    messageId: id,
    senderId: 'u-alice',
    senderName: 'Alice',
    senderType: 'human',
    text: 'We adopted a dog from the shelter.',
    createdAt: '2026-11-21T12:00:00.000Z',
    moderation: 'allowed',
  };
  return {
    eventID: `e${sequence}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ roomId: image.roomId, sk: image.sk }) as never,
      NewImage: marshall(image) as never,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
};

const invoke = (records: DynamoDBRecord[]) => handler({ Records: records } satisfies DynamoDBStreamEvent, lambdaContext as never);

describe('memory-stream handler with an OpenAI-compatible embeddings endpoint', () => {
  it('embeds each remembered message through the endpoint and stores its vector', async () => {
    const result = await invoke([record('101', 'm1')]);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(posted).toEqual([{ url: 'http://127.0.0.1:11434/v1/embeddings', body: { model: 'nomic-embed-text', input: 'We adopted a dog from the shelter.' } }]);
    expect(JSON.stringify(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input)).toContain('"vector"');
  });

  it('remembers the message without a vector, logging why, when the endpoint fails', async () => {
    answer = () => new Response(JSON.stringify({ error: { message: 'model not found' } }), { status: 404 });
    const warn = vi.spyOn(logger, 'warn');

    const result = await invoke([record('102', 'm2')]);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(JSON.stringify(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input)).not.toContain('"vector"');
    expect(warn).toHaveBeenCalledWith('memory embedding failed, remembered without a vector', {
      roomId: 'r1',
      messageId: 'm2',
      reason: 'The embeddings endpoint answered HTTP 404: model not found',
    });
  });
});
