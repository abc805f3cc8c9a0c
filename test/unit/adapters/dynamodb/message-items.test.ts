import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agentReplyOf,
  messageRecordOf,
  toItem,
  toMessage,
  writeMessage,
  type NewMessage,
} from '../../../../lambdas/adapters/dynamodb/message-items';
import type { AgentReplyMeta } from '../../../../lambdas/domain/agents/reply';
import { documentClient, transactionCanceled } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const MSG = '01KA0000000000000000000001';
const sent: NewMessage = {
  roomId: 'r1',
  messageId: MSG,
  senderId: 'u-sam',
  senderName: 'Sam',
  senderType: 'human',
  text: 'mail me at [email]',
  clientMessageId: 'c1',
  createdAt: '2026-11-21T12:00:00.000Z',
  moderation: 'redacted',
  decision: 'redacted',
  reasons: ['pii.email'],
  moderatedAt: '2026-11-21T12:00:00.000Z',
  redacted: true,
};
const meta: AgentReplyMeta = {
  handle: 'critic',
  modelId: 'm',
  inputTokens: 10,
  outputTokens: 2,
  latencyMs: 300,
  replyDepth: 2,
  triggerMessageId: 'M0',
};

const record = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
  sequence: string | null = '000000000000000000042',
): DynamoDBRecord => ({
  eventID: 'e1',
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    ...(sequence !== null ? { SequenceNumber: sequence } : {}),
    ...(images.old ? { OldImage: marshall(images.old) as never } : {}),
    ...(images.new ? { NewImage: marshall(images.new) as never } : {}),
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

describe('the message item', () => {
  it('keeps the attribute names the table has always had', () => {
    expect(toItem(sent, 1_800_000_000)).toEqual({
      roomId: 'r1',
      sk: `MSG#${MSG}`,
      entity: 'message',
      messageId: MSG,
      senderId: 'u-sam',
      senderName: 'Sam',
      senderType: 'human',
      text: 'mail me at [email]',
      clientMessageId: 'c1',
      createdAt: '2026-11-21T12:00:00.000Z',
      moderation: 'redacted',
      decision: 'redacted',
      redacted: true,
      moderationReasons: ['pii.email'],
      moderatedAt: '2026-11-21T12:00:00.000Z',
      expiresAt: 1_800_000_000,
    });
  });

  it('stores a pending agent reply with its author at the top and its metadata, without decision attributes', () => {
    const reply = toItem({ ...sent, senderType: 'agent', moderation: 'pending', decision: undefined, agent: meta });

    expect(reply).toMatchObject({ moderation: 'pending', agentHandle: 'critic', replyDepth: 2, agent: meta });
    expect(reply).not.toHaveProperty('decision');
    expect(reply).not.toHaveProperty('moderationReasons');
    expect(agentReplyOf(reply)).toEqual({ agentHandle: 'critic', replyDepth: 2, agent: meta });
  });

  it('reads back the message it wrote, with who hid or released it', () => {
    const hidden = { ...sent, hidden: { by: 'u-mo', at: '2026-11-21T12:05:00.000Z' }, releasedBy: 'u-owner' };

    expect(toMessage(toItem(hidden))).toEqual(hidden);
  });

  it('stores an agent reply’s citations and reads them back; a message without any has no attribute', () => {
    const citations = [
      { n: 1, documentId: 'd1', version: 2, chunk: 3, name: 'Handbook', section: 'Warranty' },
      { n: 3, documentId: 'd2', version: 1, chunk: 0, name: 'Manual', section: 'page 4', page: 4 },
    ];
    const reply = { ...sent, senderType: 'agent' as const, citations };

    expect(toItem(reply)).toMatchObject({ citations });
    expect(toMessage(toItem(reply)).citations).toEqual(citations);
    expect(toItem(sent)).not.toHaveProperty('citations');
  });

  it('drops a stored citation that is not whole, rather than failing the message', () => {
    const item = { ...toItem(sent), citations: [{ n: 1, documentId: 'd1' }, 'x', { n: 2, documentId: 'd2', version: 1, chunk: 0, name: 'M', section: '' }] };

    expect(toMessage(item).citations).toEqual([{ n: 2, documentId: 'd2', version: 1, chunk: 0, name: 'M', section: '' }]);
  });

  it('marks a message of a room with agents with a sparse flag, which the agents’ stream filter matches', () => {
    const inRoomWithAgents = { ...sent, agents: true as const };

    expect(toItem(inRoomWithAgents)).toMatchObject({ agents: true });
    expect(toMessage(toItem(inRoomWithAgents))).toEqual(inRoomWithAgents);
    expect(toItem(sent)).not.toHaveProperty('agents');
    expect(marshall(toItem(inRoomWithAgents))['agents']).toEqual({ BOOL: true });
  });

  it('refuses an item without a moderation state', () => {
    const { moderation: _none, ...item } = toItem(sent);

    expect(() => toMessage(item)).toThrow(/moderation/);
  });
});

describe('writeMessage', () => {
  it('writes the message and its marker in one transaction, the marker expiring after the dedupe window', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    const result = await writeMessage(documentClient(), 'messages', sent, { dedupeTtlSeconds: 600, expiresAt: 1_800_000_000 });

    expect(result).toEqual({ stored: true });
    const [message, marker] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(message?.Put).toMatchObject({ Item: toItem(sent, 1_800_000_000), ConditionExpression: 'attribute_not_exists(sk)' });
    expect(marker?.Put).toMatchObject({
      Item: { roomId: 'r1', sk: 'DEDUP#u-sam#c1', entity: 'dedupe', messageId: MSG },
      ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
    });
    expect(marker?.Put?.Item?.['expiresAt']).toBe((marker?.Put?.ExpressionAttributeValues?.[':now'] as number) + 600);
  });

  it('reports a retry when the marker exists, with the cancelled transaction as cause', async () => {
    const retry = transactionCanceled('None', 'ConditionalCheckFailed');
    ddb.on(TransactWriteCommand).rejects(retry);

    expect(await writeMessage(documentClient(), 'messages', sent, { dedupeTtlSeconds: 600 })).toEqual({ stored: false, cause: retry });
  });

  it('throws when the message itself exists', async () => {
    const collision = transactionCanceled('ConditionalCheckFailed', 'None');
    ddb.on(TransactWriteCommand).rejects(collision);

    await expect(writeMessage(documentClient(), 'messages', sent, { dedupeTtlSeconds: 600 })).rejects.toBe(collision);
  });
});

describe('messageRecordOf', () => {
  it('reads the messages before and after a change, with the items as stored', () => {
    const pending = toItem({ ...sent, moderation: 'pending', decision: undefined });
    const decided = toItem(sent);

    const change = messageRecordOf(record('MODIFY', { old: pending, new: decided }));

    expect(change).toEqual({
      eventName: 'MODIFY',
      sequence: '000000000000000000042',
      oldItem: pending,
      newItem: decided,
      before: toMessage(pending),
      after: toMessage(decided),
    });
  });

  it('reads a removal with only its old image', () => {
    const change = messageRecordOf(record('REMOVE', { old: toItem(sent) }));

    expect(change.before).toMatchObject({ messageId: MSG, moderation: 'redacted' });
    expect(change).not.toHaveProperty('after');
    expect(change).not.toHaveProperty('newItem');
  });

  it('gives no message for an item that is not one, but keeps its image', () => {
    const marker = { roomId: 'r1', sk: 'DEDUP#u-sam#c1', entity: 'dedupe', messageId: MSG };

    const change = messageRecordOf(record('INSERT', { new: marker }));

    expect(change).toEqual({ eventName: 'INSERT', sequence: '000000000000000000042', newItem: marker });
  });

  it('throws on a message image that is not a whole message, so the record is retried', () => {
    const { text: _text, ...broken } = toItem(sent);

    expect(() => messageRecordOf(record('INSERT', { new: broken }))).toThrow(/"text"/);
  });

  it('throws on a record without a sequence number', () => {
    expect(() => messageRecordOf(record('INSERT', { new: toItem(sent) }, null))).toThrow(/sequence number/);
  });
});
