import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { until } from '../support/wait';

/**
 * Agents through Parley's front door: the local runtime (with its
 * Bedrock-compatible endpoint and the offline model), driven over
 * WebSockets. Messages are moderated first, so each reply also shows the
 * path through moderation and the dispatcher's stream filters.
 */
describe('agents on the local runtime', { timeout: 60_000 }, () => {
  let parley: LocalParleyProcess;
  const connect = (name: string) => parley.connect(name);

  interface AgentMessage {
    messageId: string;
    text: string;
    senderId: string;
    senderType: string;
    agent: { handle: string; modelId: string; inputTokens: number; outputTokens: number; latencyMs: number; replyDepth: number; triggerMessageId: string; incomplete?: boolean };
  }
  const deltasOf = (client: TestClient, replyId: string) =>
    client.frames.filter((f) => f.type === 'agentDelta' && f['replyId'] === replyId) as Array<Frame & { seq: number; text: string }>;
  const doneIn = (roomId: string) => (f: Frame) => f.type === 'agentDone' && f['roomId'] === roomId;
  const messageOf = (frame: Frame) => frame['message'] as AgentMessage;

  /** A room owned by `owner`, joined by `members`, with the given agents. */
  async function roomWith(owner: TestClient, members: TestClient[], agents: Array<Record<string, unknown>>) {
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'with agents' });
    for (const member of members) await member.ok('joinRoom', { roomId: room.roomId });
    for (const agent of agents) await owner.ok('addAgent', { roomId: room.roomId, agent });
    return room.roomId;
  }

  /** How many agent jobs are queued, delayed or being answered. */
  async function jobsInFlight(): Promise<number> {
    const url = Object.entries(parley.queues).find(([key]) => /Jobs/.test(key) && !/DeadLetters/.test(key))?.[1];
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return Object.values(Attributes).reduce((sum, n) => sum + Number(n), 0);
  }

  /**
   * The ids of a room's stored messages that agents will read: all but those
   * moderation withheld (a pending reply is read once moderation allows it).
   */
  async function readableMessages(roomId: string): Promise<Array<{ messageId: string; senderType: string }>> {
    const table = Object.entries(parley.tables).find(([key]) => /Messages/.test(key))?.[1];
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'roomId = :roomId AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':roomId': roomId, ':msg': 'MSG#' },
        ConsistentRead: true,
      }),
    );
    return Items.filter((item) => !['quarantined', 'blocked'].includes(String(item['moderation']))).map((item) => ({
      messageId: String(item['messageId']),
      senderType: String(item['senderType']),
    }));
  }

  /** Whether the agents' dispatcher has taken a stored reply from the messages stream. */
  const dispatched = (roomId: string, messageId: string) =>
    parley.events.some(
      (e) =>
        e.event === 'batch' &&
        String(e['mapping']).includes('AgentDispatcher') &&
        e['outcome'] === 'ok' &&
        (e['keys'] as string[] | undefined)?.some((key) => key.split('/').includes(`MSG#${messageId}`)),
    );

  /**
   * Resolves with a room's agent replies once no further one can come, and
   * each has reached `client`: every message agents will read has been taken
   * from the stream by the dispatcher, and no agent job is queued or being
   * answered, so nothing can still start a job. Proven from the pipeline's
   * state, not from a quiet spell.
   */
  async function settledReplies(client: TestClient, roomId: string): Promise<AgentMessage[]> {
    for (;;) {
      const messages = await readableMessages(roomId);
      await until(async () => messages.every((m) => dispatched(roomId, m.messageId)), (all) => all, 40_000);
      await until(jobsInFlight, (n) => n === 0, 40_000);
      if ((await readableMessages(roomId)).length !== messages.length) continue;
      const replies = messages.filter((m) => m.senderType === 'agent').length;
      const frames = await until(
        async () => client.frames.filter(doneIn(roomId)),
        (done) => done.length >= replies,
      );
      return frames.map(messageOf);
    }
  }

  let sqs: SQSClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    parley = await startLocalParley();
    const engine = { region: parley.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    sqs = new SQSClient({ ...engine, endpoint: parley.sqsEndpoint });
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...engine, endpoint: parley.dynamoDbEndpoint }));
  });

  afterAll(async () => {
    sqs?.destroy();
    documents?.destroy();
    await parley?.stop();
  });

  it('streams a mentioned agent’s reply to every member, then keeps it in history', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const roomId = await roomWith(alice, [bob], [{ handle: '@helper', displayName: 'Ada' }]);

    const sent = await alice.ok<{ messageId: string }>('sendMessage', { roomId, text: '@helper what is the plan?', clientMessageId: 'm1' });

    const done = await bob.waitFor(doneIn(roomId), 20_000);
    const reply = messageOf(done);
    const bobDeltas = deltasOf(bob, reply.messageId);
    const aliceDeltas = deltasOf(alice, reply.messageId);
    expect(reply).toMatchObject({
      senderId: 'agent:helper',
      senderType: 'agent',
      agent: { handle: 'helper', replyDepth: 1, triggerMessageId: sent.messageId },
    });
    expect(reply.text).toContain("Parley's offline model");
    expect(reply.agent.outputTokens).toBeGreaterThan(0);
    expect(bobDeltas.length).toBeGreaterThan(1);
    expect(bobDeltas.map((d) => d.seq)).toEqual(bobDeltas.map((_, i) => i));
    expect(bobDeltas.map((d) => d.text).join('')).toBe(reply.text);
    expect(aliceDeltas.map((d) => d.text).join('')).toBe(reply.text);
    expect(await alice.waitFor(doneIn(roomId))).toBeDefined();

    // Once moderated, the reply is history like any message.
    const history = await until(
      async () => (await bob.ok<{ items: AgentMessage[] }>('getHistory', { roomId })).items,
      (items) => items.some((m) => m.messageId === reply.messageId),
    );
    expect(history.map((m) => [m.senderType, m.text])).toEqual([
      ['human', '@helper what is the plan?'],
      ['agent', reply.text],
    ]);
  });

  it('never invokes the dispatcher for a room without agents, nor once its last agent is removed', async () => {
    const erin = await connect('erin');
    const { room: quiet } = await erin.ok<{ room: { roomId: string } }>('createRoom', { name: 'no agents' });
    const withAgent = await roomWith(erin, [], [{ handle: 'helper' }]);
    const emptied = await roomWith(erin, [], [{ handle: 'leaving' }]);
    await erin.ok('removeAgent', { roomId: emptied, handle: 'leaving' });

    const unseen = [
      await erin.ok<{ messageId: string }>('sendMessage', { roomId: quiet.roomId, text: '@helper anyone here?', clientMessageId: 'q1' }),
      await erin.ok<{ messageId: string }>('sendMessage', { roomId: emptied, text: '@leaving are you still here?', clientMessageId: 'e1' }),
    ];
    // Sent after them, on the same stream: once the dispatcher has taken this
    // one (and the agent has answered it), it has read past the two above.
    const later = await erin.ok<{ messageId: string }>('sendMessage', { roomId: withAgent, text: '@helper hello', clientMessageId: 'w1' });
    await until(async () => dispatched(withAgent, later.messageId), (yes) => yes, 40_000);
    expect(messageOf(await erin.waitFor(doneIn(withAgent), 20_000)).agent.triggerMessageId).toBe(later.messageId);

    for (const [roomId, { messageId }] of [[quiet.roomId, unseen[0]!], [emptied, unseen[1]!]] as const) {
      // The message did reach the stream (room memory's consumer took it)...
      await parley.waitForEvent(
        (e) =>
          e.event === 'batch' &&
          !String(e['mapping']).includes('AgentDispatcher') &&
          ((e['keys'] as string[] | undefined) ?? []).some((key) => key.split('/').includes(`MSG#${messageId}`)),
        20_000,
      );
      // ...but never a batch of the dispatcher's.
      const dispatcherBatches = parley.events.filter((e) => e.event === 'batch' && String(e['mapping']).includes('AgentDispatcher'));
      const carried = dispatcherBatches.flatMap((e) => (e['keys'] as string[] | undefined) ?? []);
      expect(carried.some((key) => key.split('/').includes(`MSG#${messageId}`))).toBe(false);
      expect(erin.frames.some((f) => doneIn(roomId)(f))).toBe(false);
    }
  });

  it('has each of two mentioned agents answer the person once', async () => {
    const carol = await connect('carol');
    const roomId = await roomWith(carol, [], [{ handle: 'alpha' }, { handle: 'beta' }]);

    const sent = await carol.ok<{ messageId: string }>('sendMessage', { roomId, text: '@alpha and @beta, hello', clientMessageId: 'm1' });

    const replies = await settledReplies(carol, roomId);
    const toCarol = replies.filter((m) => m.agent.triggerMessageId === sent.messageId);
    expect(toCarol.map((m) => m.agent.handle).sort()).toEqual(['alpha', 'beta']);
    expect(toCarol.every((m) => m.text.startsWith('carol, this is @'))).toBe(true);
    // Their replies mention each other (the offline model quotes the
    // question), but agents do not answer agents unless told to.
    expect(replies).toHaveLength(2);
  });

  it('never has an agent answer itself, and stops a chain of agents that answer agents mentioning each other', async () => {
    const dave = await connect('dave');
    const roomId = await roomWith(dave, [], [
      { handle: 'alpha', answersAgents: true },
      { handle: 'beta', answersAgents: true },
    ]);

    await dave.ok('sendMessage', { roomId, text: '@alpha and @beta, talk to each other', clientMessageId: 'm1' });

    // The offline model addresses and quotes whoever spoke, so the agents keep
    // mentioning each other (and themselves) until the chain is three deep.
    const replies = await settledReplies(dave, roomId);
    const byId = new Map(replies.map((m) => [m.messageId, m]));
    expect(replies.map((m) => m.agent.replyDepth).sort()).toEqual([1, 1, 2, 2, 3, 3]);
    for (const reply of replies) {
      const trigger = byId.get(reply.agent.triggerMessageId);
      expect(trigger?.agent.handle).not.toBe(reply.agent.handle);
      if (reply.agent.replyDepth > 1) expect(trigger?.agent.replyDepth).toBe(reply.agent.replyDepth - 1);
    }
  });

  it('keeps what arrived of a reply whose stream breaks, marked incomplete, and tells the room', async () => {
    const erin = await connect('erin');
    const roomId = await roomWith(erin, [], [{ handle: 'shaky', modelId: 'parley.offline-interrupted' }]);

    await erin.ok('sendMessage', { roomId, text: '@shaky tell me a story', clientMessageId: 'm1' });

    const done = await erin.waitFor(doneIn(roomId), 20_000);
    const notice = await erin.waitFor((f) => f.type === 'notice' && f['roomId'] === roomId);
    const reply = messageOf(done);
    expect(done['incomplete']).toBe(true);
    expect(reply.agent.incomplete).toBe(true);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(deltasOf(erin, reply.messageId).map((d) => d.text).join('')).toBe(reply.text);
    expect(notice).toMatchObject({ code: 'AGENT_REPLY_INCOMPLETE' });
  });

  it('answers with a notice instead of the model once the day’s token budget is spent', async () => {
    const frank = await connect('frank');
    // Enough for one short reply, not for a second prompt that carries it.
    const roomId = await roomWith(frank, [], [{ handle: 'thrifty', dailyTokenBudget: 250 }]);

    await frank.ok('sendMessage', { roomId, text: '@thrifty first question', clientMessageId: 'm1' });
    await frank.waitFor(doneIn(roomId), 20_000);
    await frank.ok('sendMessage', { roomId, text: '@thrifty second question', clientMessageId: 'm2' });

    const notice = await frank.waitFor((f) => f.type === 'notice' && f['roomId'] === roomId, 20_000);
    expect(notice).toMatchObject({ code: 'AGENT_BUDGET_EXHAUSTED', text: expect.stringContaining('@thrifty') });
    expect(frank.frames.filter(doneIn(roomId))).toHaveLength(1);
  });

  it('tells the room once that a failing agent is unavailable and dead-letters its job with the reason', async () => {
    const gina = await connect('gina');
    const hank = await connect('hank');
    const roomId = await roomWith(gina, [hank], [{ handle: 'flaky', modelId: 'parley.offline-unavailable' }]);

    const sent = await gina.ok<{ messageId: string }>('sendMessage', { roomId, text: '@flaky are you there?', clientMessageId: 'm1' });

    const isNotice = (f: Frame) => f.type === 'notice' && f['roomId'] === roomId;
    const notice = await hank.waitFor(isNotice, 55_000);
    expect(notice).toMatchObject({ code: 'AGENT_UNAVAILABLE', text: expect.stringContaining('@flaky') });
    const dlqUrl = Object.entries(parley.queues).find(([key]) => /JobsDeadLetters/.test(key))?.[1];
    expect(dlqUrl).toBeDefined();
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 2 }),
    );
    const dead = Messages.map((m) => ({ job: JSON.parse(m.Body ?? '{}') as Record<string, unknown>, reason: m.MessageAttributes?.['reason']?.StringValue }));
    expect(dead).toEqual([
      { job: expect.objectContaining({ roomId, handle: 'flaky', triggerMessageId: sent.messageId }), reason: 'ThrottlingException' },
    ]);
    // The job is dead-lettered, so any other notice was posted before it: a message sent now
    // reaches hank after every frame posted so far.
    await gina.ok('sendMessage', { roomId, text: 'never mind', clientMessageId: 'm2' });
    await hank.waitFor((f) => f.type === 'message' && f['roomId'] === roomId && messageOf(f).text === 'never mind');
    expect(hank.frames.filter(isNotice)).toHaveLength(1);
    expect(gina.frames.filter(doneIn(roomId))).toEqual([]);
  }, 70_000);
});
