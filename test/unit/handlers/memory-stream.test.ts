import { BatchGetCommand, QueryCommand, TransactWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (typeof import('../../../lambdas/handlers/memory-stream'))['handler'];
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('MEMORY_TABLE', 'memory');
  ({ handler } = await import('../../../lambdas/handlers/memory-stream'));
});

beforeEach(() => {
  // The message's marker and the room's cursor, read together: neither exists yet.
  ddb.on(BatchGetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
});
afterEach(() => ddb.reset());

const messageImage = (id: string, extra: Record<string, unknown> = {}) => ({
  roomId: 'r1',
  sk: `MSG#${id}`,
  entity: 'message',
  messageId: id,
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text: `Message ${id} about the release train.`,
  createdAt: '2026-11-21T12:00:00.000Z',
  moderation: 'allowed',
  ...extra,
});

const record = (sequence: string, newImage: Record<string, unknown>): DynamoDBRecord => ({
  eventID: `e${sequence}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    SequenceNumber: sequence,
    Keys: marshall({ roomId: newImage['roomId'], sk: newImage['sk'] }) as never,
    NewImage: marshall(newImage, { removeUndefinedValues: true }) as never,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const invoke = (records: DynamoDBRecord[]) =>
  handler({ Records: records } satisfies DynamoDBStreamEvent, lambdaContext as never);

describe('memory-stream handler', () => {
  it('remembers every record and reports no failure', async () => {
    const result = await invoke([record('101', messageImage('m1')), record('102', messageImage('m2'))]);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });

  it('reports a poison record as a batch item failure and still applies the records after it', async () => {
    const poison = messageImage('m2', { text: undefined });

    const result = await invoke([record('101', messageImage('m1')), record('102', poison), record('103', messageImage('m3'))]);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
    const remembered = ddb
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item?.['sk']);
    expect(remembered).toEqual(['MSG#m1', 'MSG#m3']);
  });

  it('writes nothing for a message that is still pending moderation', async () => {
    const result = await invoke([record('101', messageImage('m1', { moderation: 'pending' }))]);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(BatchGetCommand);
  });

  it('applies records one at a time, in stream order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    ddb.on(TransactWriteCommand).callsFake(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return {};
    });

    await invoke([record('101', messageImage('m1')), record('102', messageImage('m2')), record('103', messageImage('m3'))]);

    expect(maxInFlight).toBe(1);
    const order = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]?.Put?.Item?.['sk']);
    expect(order).toEqual(['MSG#m1', 'MSG#m2', 'MSG#m3']);
  });
});
