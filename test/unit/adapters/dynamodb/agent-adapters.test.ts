import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAgentMessageStore } from '../../../../lambdas/adapters/dynamodb/agent-message-store';
import { DynamoAgentRepository } from '../../../../lambdas/adapters/dynamodb/agent-repository';
import { DynamoAmbientFloor } from '../../../../lambdas/adapters/dynamodb/agent-floor';
import { DynamoTokenLedger } from '../../../../lambdas/adapters/dynamodb/agent-ledger';
import type { AgentMessage } from '../../../../lambdas/domain/agents/reply';
import { ConflictError, NotFoundError } from '../../../../lambdas/domain/errors';
import { conditionalCheckFailed, documentClient, transactionCanceled } from '../../../support/dynamodb';
import { agentOf } from '../../../support/fakes/agents';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

describe('DynamoAgentRepository', () => {
  const agent = agentOf({ handle: 'assistant', trigger: { mode: 'ambient' } });

  it('stores an agent under its room and counts it on the room’s settings item in one transaction, refusing a taken handle', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None'));
    const repository = new DynamoAgentRepository(documentClient(), 'rooms');

    await repository.createAgent(agent);
    await expect(repository.createAgent(agent)).rejects.toThrow(ConflictError);

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: 'rooms',
            Item: expect.objectContaining({ pk: 'ROOM#r1', sk: 'AGENT#assistant', entity: 'agent', trigger: agent.trigger }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: expect.objectContaining({
            TableName: 'rooms',
            Key: { pk: 'ROOM#r1', sk: 'MODERATION' },
            UpdateExpression: expect.stringContaining('ADD #count :delta'),
            ExpressionAttributeNames: { '#count': 'agentCount' },
            ExpressionAttributeValues: expect.objectContaining({ ':delta': 1 }),
          }),
        },
      ],
    });
  });

  it('replaces only an existing agent', async () => {
    ddb.on(PutCommand).rejects(conditionalCheckFailed());
    const repository = new DynamoAgentRepository(documentClient(), 'rooms');

    await expect(repository.replaceAgent(agent)).rejects.toThrow(NotFoundError);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: 'attribute_exists(pk)' });
  });

  it('lists a room’s agents with one keyed Query, filling settings added since they were stored', async () => {
    const { maxPromptTokens: _dropped, ...older } = agent;
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'ROOM#r1', sk: 'AGENT#assistant', entity: 'agent', ...older }] });
    const repository = new DynamoAgentRepository(documentClient(), 'rooms');

    const agents = await repository.listAgents('r1');

    expect(agents).toEqual([agent]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :agent)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':agent': 'AGENT#' },
    });
  });

  it('pages a room’s agents from the last handle returned', async () => {
    const item = { pk: 'ROOM#r1', sk: 'AGENT#assistant', entity: 'agent', ...agent };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item], LastEvaluatedKey: { pk: 'ROOM#r1', sk: 'AGENT#assistant' } })
      .resolvesOnce({ Items: [] });
    const repository = new DynamoAgentRepository(documentClient(), 'rooms');

    const first = await repository.pageAgents('r1', { limit: 1 });
    const second = await repository.pageAgents('r1', { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [agent], nextCursor: 'assistant' });
    expect(second).toEqual({ items: [] });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :agent)',
      ExpressionAttributeValues: { ':pk': 'ROOM#r1', ':agent': 'AGENT#' },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: { pk: 'ROOM#r1', sk: 'AGENT#assistant' } });
  });

  it('deletes an agent and counts it out of its room in one transaction, reporting whether it existed', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None'));
    const repository = new DynamoAgentRepository(documentClient(), 'rooms');

    expect(await repository.deleteAgent('r1', 'assistant')).toBe(true);
    expect(await repository.deleteAgent('r1', 'assistant')).toBe(false);

    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Delete: { TableName: 'rooms', Key: { pk: 'ROOM#r1', sk: 'AGENT#assistant' }, ConditionExpression: 'attribute_exists(pk)' } },
        {
          Update: expect.objectContaining({
            Key: { pk: 'ROOM#r1', sk: 'MODERATION' },
            ExpressionAttributeValues: expect.objectContaining({ ':delta': -1 }),
          }),
        },
      ],
    });
  });

  it('lets other failures of the transaction through', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'ThrottlingError'));
    const repository = new DynamoAgentRepository(documentClient(), 'rooms');

    await expect(repository.deleteAgent('r1', 'assistant')).rejects.toThrow('Transaction cancelled');
    await expect(repository.createAgent(agent)).rejects.toThrow('Transaction cancelled');
  });
});

describe('DynamoAgentMessageStore', () => {
  const item = (id: string, extra: Record<string, unknown> = {}) => ({
    roomId: 'r1',
    sk: `MSG#${id}`,
    entity: 'message',
    messageId: id,
    senderId: 'u-alice',
    senderName: 'Alice',
    senderType: 'human',
    text: `text ${id}`,
    createdAt: '2026-11-21T12:00:00.000Z',
    ...extra,
  });

  it('reads recent history up to the answered message, leaving out unmoderated and rejected text', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        item('M6', { moderation: 'allowed', createdAt: '2026-12-06T14:03:00.000Z' }),
        item('M5', { moderation: 'pending' }),
        item('M4', { moderation: 'quarantined' }),
        item('M3', { moderation: 'redacted', text: 'text [redacted]' }),
        item('M2', { moderation: 'blocked' }),
        item('M1b', { moderation: 'allowed', hiddenBy: 'u-mod', hiddenAt: '2026-11-21T12:01:00.000Z' }),
        item('M1', { moderation: 'allowed', senderType: 'agent', agentHandle: 'critic', senderName: 'Crit' }),
      ],
    });
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    const history = await store.recentMessages('r1', 'M6', 10);

    expect(history.map((h) => [h.messageId, h.text, h.agentHandle])).toEqual([
      ['M1', 'text M1', 'critic'],
      ['M3', 'text [redacted]', undefined],
      ['M6', 'text M6', undefined],
    ]);
    // The prompt shows each message's time: it is read with the message.
    expect(history.map((h) => h.createdAt)).toEqual(['2026-11-21T12:00:00.000Z', '2026-11-21T12:00:00.000Z', '2026-12-06T14:03:00.000Z']);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'roomId = :roomId AND sk BETWEEN :first AND :upTo',
      ExpressionAttributeValues: { ':roomId': 'r1', ':first': 'MSG#', ':upTo': 'MSG#M6' },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
  });

  it('stops at the limit, keeping the newest', async () => {
    const allowed = { moderation: 'allowed' };
    ddb.on(QueryCommand).resolves({
      Items: [item('M3', allowed), item('M2', allowed), item('M1', allowed)],
      LastEvaluatedKey: { roomId: 'r1', sk: 'MSG#M1' },
    });
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    const history = await store.recentMessages('r1', 'M3', 2);

    expect(history.map((h) => h.messageId)).toEqual(['M2', 'M3']);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });

  const reply: AgentMessage = {
    roomId: 'r1',
    messageId: 'R1',
    senderId: 'agent:assistant',
    senderName: 'Ada',
    senderType: 'agent',
    text: 'Hello!',
    createdAt: '2026-11-21T12:00:00.000Z',
    agent: { handle: 'assistant', modelId: 'm', inputTokens: 10, outputTokens: 2, latencyMs: 300, replyDepth: 1, triggerMessageId: 'M1' },
  };

  it('stores a reply as a message with its marker, allowed until moderation runs', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    expect(await store.saveReply(reply)).toBe(true);

    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.[0]?.Put?.Item).toMatchObject({
      roomId: 'r1',
      sk: 'MSG#R1',
      entity: 'message',
      senderType: 'agent',
      clientMessageId: 'reply:M1',
      moderation: 'allowed',
      agentHandle: 'assistant',
      replyDepth: 1,
      agent: reply.agent,
    });
    expect(items?.[1]?.Put?.Item).toMatchObject({ sk: 'DEDUP#agent:assistant#reply:M1', entity: 'dedupe', messageId: 'R1' });
  });

  it('stores replies as pending when moderation is on', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const store = new DynamoAgentMessageStore(documentClient(), 'messages', { initialModeration: 'pending' });

    await store.saveReply(reply);

    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item?.['moderation']).toBe('pending');
  });

  it('gives a reply the expiry it is given, and none without one', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    await store.saveReply(reply, 1_800_000_000);
    await store.saveReply({ ...reply, roomId: 'r2', messageId: 'R2' });

    const [first, second] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]?.Put?.Item);
    expect(first?.['expiresAt']).toBe(1_800_000_000);
    expect(second).not.toHaveProperty('expiresAt');
  });

  it('stores nothing when the reply exists, and says so', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('ConditionalCheckFailed', 'ConditionalCheckFailed'));
    ddb.on(GetCommand).resolves({ Item: { sk: 'DEDUP#agent:assistant#reply:M1' } });
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    expect(await store.saveReply(reply)).toBe(false);
    expect(await store.hasReplied('r1', 'assistant', 'M1')).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { roomId: 'r1', sk: 'DEDUP#agent:assistant#reply:M1' }, ConsistentRead: true });
  });

  it('reads a stored reply’s metadata through its marker, without its text', async () => {
    const meta = { handle: 'assistant', modelId: 'm', inputTokens: 3, outputTokens: 4, latencyMs: 5, replyDepth: 1, triggerMessageId: 'M1' };
    ddb
      .on(GetCommand, { Key: { roomId: 'r1', sk: 'DEDUP#agent:assistant#reply:M1' } })
      .resolves({ Item: { sk: 'DEDUP#agent:assistant#reply:M1', messageId: 'R1' } })
      .on(GetCommand, { Key: { roomId: 'r1', sk: 'MSG#R1' } })
      .resolves({ Item: { messageId: 'R1', createdAt: '2026-11-21T12:00:01.000Z', agent: meta } });
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    const stored = await store.storedReply('r1', 'assistant', 'M1');

    expect(stored).toEqual({ messageId: 'R1', createdAt: '2026-11-21T12:00:01.000Z', agent: meta });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      Key: { roomId: 'r1', sk: 'MSG#R1' },
      ConsistentRead: true,
      // `agent` is a reserved word: named through placeholders.
      ProjectionExpression: '#messageId, #createdAt, #agent',
      ExpressionAttributeNames: { '#messageId': 'messageId', '#createdAt': 'createdAt', '#agent': 'agent' },
    });
  });

  it('keys a regenerated answer by its attempt, and the first one as before', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    await store.saveReply({ ...reply, messageId: 'R2', agent: { ...reply.agent, attempt: 2 } });
    await store.hasReplied('r1', 'assistant', 'M1', 3);
    await store.hasReplied('r1', 'assistant', 'M1');

    const item = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(item).toMatchObject({ clientMessageId: 'reply:M1#2', agent: { attempt: 2 } });
    const keys = ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key);
    expect(keys).toEqual([
      { roomId: 'r1', sk: 'DEDUP#agent:assistant#reply:M1#3' },
      { roomId: 'r1', sk: 'DEDUP#agent:assistant#reply:M1' },
    ]);
  });

  it('reads a reply by its id, and nothing for a message that is no agent’s reply', async () => {
    const meta = { handle: 'assistant', modelId: 'm', inputTokens: 3, outputTokens: 4, latencyMs: 5, replyDepth: 0, triggerMessageId: 'M1' };
    ddb
      .on(GetCommand, { Key: { roomId: 'r1', sk: 'MSG#R1' } })
      .resolves({ Item: { messageId: 'R1', createdAt: '2026-11-21T12:00:01.000Z', agent: meta } })
      .on(GetCommand, { Key: { roomId: 'r1', sk: 'MSG#M1' } })
      .resolves({ Item: { messageId: 'M1', createdAt: '2026-11-21T12:00:00.000Z' } });
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    expect(await store.replyById('r1', 'R1')).toEqual({ messageId: 'R1', createdAt: '2026-11-21T12:00:01.000Z', agent: meta });
    expect(await store.replyById('r1', 'M1')).toBeUndefined();
  });

  it('finds no stored reply when there is no marker', async () => {
    ddb.on(GetCommand).resolves({});
    const store = new DynamoAgentMessageStore(documentClient(), 'messages');

    expect(await store.storedReply('r1', 'assistant', 'M1')).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
  });
});

describe('DynamoTokenLedger', () => {
  it('adds usage atomically with ADD on a per-day, per-agent counter that expires', async () => {
    ddb.on(UpdateCommand).resolves({});
    const ledger = new DynamoTokenLedger(documentClient(), 'connections');

    await ledger.add('r1', 'assistant', '2026-11-21', 160.4);

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'AGENTBUDGET#r1', sk: '2026-11-21#assistant' },
      UpdateExpression: 'ADD tokens :tokens SET entity = :entity, expiresAt = :expiresAt',
      ExpressionAttributeValues: { ':tokens': 160, ':entity': 'agentBudget', ':expiresAt': Date.UTC(2026, 10, 24) / 1000 },
    });
  });

  it('reads usage, zero when nothing was used', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { tokens: 42 } }).resolvesOnce({});
    const ledger = new DynamoTokenLedger(documentClient(), 'connections');

    expect(await ledger.used('r1', 'assistant', '2026-11-21')).toBe(42);
    expect(await ledger.used('r1', 'assistant', '2026-11-21')).toBe(0);
  });

  it('lets one caller a day claim the budget notice', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());
    const ledger = new DynamoTokenLedger(documentClient(), 'connections');

    expect(await ledger.claimBudgetNotice('r1', 'assistant', '2026-11-21')).toBe(true);
    expect(await ledger.claimBudgetNotice('r1', 'assistant', '2026-11-21')).toBe(false);
  });
});

describe('DynamoAmbientFloor', () => {
  it('takes the floor with a conditional write and reports a refusal', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());
    const floor = new DynamoAmbientFloor(documentClient(), 'connections');
    const claim = { handle: 'muse', messageId: 'M1', nowMs: 1_000_000, untilMs: 1_060_000 };

    expect(await floor.tryTake('r1', claim)).toBe(true);
    expect(await floor.tryTake('r1', { ...claim, handle: 'sage' })).toBe(false);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'AGENTFLOOR#r1', sk: 'FLOOR', handle: 'muse', untilMs: 1_060_000, expiresAt: 1120 }),
      ConditionExpression: 'attribute_not_exists(pk) OR untilMs <= :now OR (#handle = :handle AND messageId = :messageId)',
    });
  });
});
