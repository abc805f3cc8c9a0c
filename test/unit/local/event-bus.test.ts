import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import { EventBus, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCloudAssembly } from '../../../scripts/local/assembly';
import { type DeliveredEvent, LocalEventBus, payloadFor } from '../../../scripts/local/event-bus/event-bus';
import { createEventBridgeServer } from '../../../scripts/local/event-bus/server';
import { targetDelivery } from '../../../scripts/local/event-bus/targets';
import type { LocalModel } from '../../../scripts/local/model';
import { buildModel } from '../../../scripts/local/model/build-model';
import type { LocalRuleTarget } from '../../../scripts/local/model/event-rules';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

describe('the local EventBridge', () => {
  let outdir: string;
  let model: LocalModel;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'event-bus-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Events');
    const bus = new EventBus(stack, 'Bus', { eventBusName: 'Parley-test' });
    const queue = new Queue(stack, 'Analytics', { queueName: 'analytics' });
    new Rule(stack, 'Rooms', {
      eventBus: bus,
      ruleName: 'rooms',
      eventPattern: { source: ['parley'], detailType: ['room.created'] },
      targets: [new SqsQueue(queue)],
    });
    new Rule(stack, 'Details', {
      eventBus: bus,
      ruleName: 'details',
      eventPattern: { source: ['parley'], detail: { roomId: [{ prefix: 'r-' }] } },
      targets: [
        new SqsQueue(new Queue(stack, 'DetailsQueue', { queueName: 'details' }), {
          message: RuleTargetInput.fromEventPath('$.detail'),
          deadLetterQueue: new Queue(stack, 'DetailsDlq', { queueName: 'details-dlq' }),
        }),
      ],
    });
    app.synth();
    model = buildModel(readCloudAssembly(outdir), { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: 'http://127.0.0.1:4000' });
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const newBus = (deliveries: Array<{ target: LocalRuleTarget; payload: unknown }>) =>
    new LocalEventBus({
      region: 'us-east-1',
      accountId: '000000000000',
      model: model.eventBridge,
      deliver: async (target, payload) => {
        deliveries.push({ target, payload });
      },
      onDeliveryError: () => undefined,
    });

  it('reads the template’s buses and rules, with their patterns and targets', () => {
    expect(model.eventBridge.buses).toEqual(['Parley-test']);
    expect(model.eventBridge.rules.find((rule) => rule.name === 'details')?.targets).toEqual([
      expect.objectContaining({
        Arn: 'arn:aws:sqs:us-east-1:000000000000:details',
        InputPath: '$.detail',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:details-dlq' },
      }),
    ]);
    expect(model.eventBridge.rules.filter((rule) => rule.name !== 'details')).toEqual([
      expect.objectContaining({
        name: 'rooms',
        eventBusName: 'Parley-test',
        eventPattern: JSON.stringify({ source: ['parley'], 'detail-type': ['room.created'] }),
        targets: [expect.objectContaining({ Arn: 'arn:aws:sqs:us-east-1:000000000000:analytics' })],
      }),
    ]);
  });

  it('delivers an event to the targets of the rules it matches, shaped as EventBridge delivers it', async () => {
    const deliveries: Array<{ target: LocalRuleTarget; payload: unknown }> = [];
    const bus = newBus(deliveries);
    const result = bus.putEvents({
      Entries: [
        { EventBusName: 'Parley-test', Source: 'parley', DetailType: 'room.created', Detail: '{"id":"e-1"}', Time: 1_796_000_000 },
        { EventBusName: 'Parley-test', Source: 'parley', DetailType: 'room.deleted', Detail: '{"id":"e-2"}' },
      ],
    });
    await bus.settled();

    expect(result.FailedEntryCount).toBe(0);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toEqual({
      version: '0',
      id: (result.Entries[0] as { EventId: string }).EventId,
      'detail-type': 'room.created',
      source: 'parley',
      account: '000000000000',
      time: '2026-11-30T00:53:20Z',
      region: 'us-east-1',
      resources: [],
      detail: { id: 'e-1' },
    });
  });

  it('subscribes rules made at run time, and forgets targets removed', async () => {
    const deliveries: Array<{ target: LocalRuleTarget; payload: unknown }> = [];
    const bus = newBus(deliveries);
    bus.putRule({ Name: 'mine', EventBusName: 'Parley-test', EventPattern: JSON.stringify({ detail: { roomId: ['r-1'] } }) });
    bus.putTargets({ Rule: 'mine', EventBusName: 'Parley-test', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:mine', InputPath: '$.detail' }] });
    bus.putEvents({ Entries: [{ EventBusName: 'Parley-test', Source: 'parley', DetailType: 'x', Detail: '{"roomId":"r-1"}' }] });
    bus.putEvents({ Entries: [{ EventBusName: 'Parley-test', Source: 'parley', DetailType: 'x', Detail: '{"roomId":"r-2"}' }] });
    await bus.settled();
    const mine = () => deliveries.filter((d) => d.target.Id === 'q');
    expect(mine().map((d) => d.payload)).toEqual([{ roomId: 'r-1' }]);

    bus.removeTargets({ Rule: 'mine', EventBusName: 'Parley-test', Ids: ['q'] });
    bus.putEvents({ Entries: [{ EventBusName: 'Parley-test', Source: 'parley', DetailType: 'x', Detail: '{"roomId":"r-1"}' }] });
    await bus.settled();
    expect(mine()).toHaveLength(1);
    expect(() => bus.deleteRule({ Name: 'mine', EventBusName: 'Parley-test' })).not.toThrow();
  });

  it('fails entries with a malformed detail or an unknown bus, and accepts the rest', () => {
    const bus = newBus([]);
    const result = bus.putEvents({
      Entries: [
        { EventBusName: 'Parley-test', Source: 'parley', DetailType: 'x', Detail: 'not json' },
        { EventBusName: 'nope', Source: 'parley', DetailType: 'x', Detail: '{}' },
        { EventBusName: 'Parley-test', Source: 'parley', DetailType: 'x', Detail: '{}' },
      ],
    });
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries.map((entry) => ('ErrorCode' in entry ? entry.ErrorCode : 'ok'))).toEqual([
      'MalformedDetail',
      'ResourceNotFoundException',
      'ok',
    ]);
  });

  it('gives a target its constant input or the path of the event it asks for', () => {
    const event = { id: 'e', detail: { a: { b: 1 } } } as unknown as DeliveredEvent;
    expect(payloadFor({ Id: 't', Arn: 'a', Input: '{"fixed":true}' }, event)).toEqual({ fixed: true });
    expect(payloadFor({ Id: 't', Arn: 'a', InputPath: '$.detail.a' }, event)).toEqual({ b: 1 });
  });

  it('sends an event a target keeps refusing to the target’s dead-letter queue, and says so', async () => {
    sqs.on(SendMessageCommand, { QueueUrl: 'http://127.0.0.1:4000/000000000000/details' }).rejects(new Error('unavailable'));
    sqs.on(SendMessageCommand, { QueueUrl: 'http://127.0.0.1:4000/000000000000/details-dlq' }).resolves({});
    const deliver = targetDelivery({ model, sqs: new SQSClient({ region: 'us-east-1' }), invoke: async () => undefined });
    const rule = model.eventBridge.rules.find((r) => r.name === 'details')!;

    await expect(deliver(rule.targets[0]!, { roomId: 'r-1' }, rule)).rejects.toThrow(/failed 3 times; the event went to its dead-letter queue/);
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input.QueueUrl)).toEqual([
      ...Array(3).fill('http://127.0.0.1:4000/000000000000/details'),
      'http://127.0.0.1:4000/000000000000/details-dlq',
    ]);
  });

  it('sends to an SQS target’s queue the event as its message body', async () => {
    sqs.on(SendMessageCommand, { QueueUrl: 'http://127.0.0.1:4000/000000000000/analytics' }).resolves({});
    const deliver = targetDelivery({ model, sqs: new SQSClient({ region: 'us-east-1' }), invoke: async () => undefined });
    const rule = model.eventBridge.rules[0]!;
    await deliver(rule.targets[0]!, { hello: 1 }, rule);
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: 'http://127.0.0.1:4000/000000000000/analytics',
      MessageBody: '{"hello":1}',
    });
  });

  describe('over HTTP, as the SDK speaks to it', () => {
    let server: ReturnType<typeof createEventBridgeServer>;
    let client: EventBridgeClient;
    const deliveries: Array<{ target: LocalRuleTarget; payload: unknown }> = [];

    beforeAll(async () => {
      server = createEventBridgeServer(newBus(deliveries));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      client = new EventBridgeClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
    });
    afterAll(async () => {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('serves PutRule, PutTargets, ListRules, ListTargetsByRule and PutEvents', async () => {
      const { RuleArn } = await client.send(
        new PutRuleCommand({ Name: 'sdk', EventBusName: 'Parley-test', EventPattern: JSON.stringify({ source: ['parley'] }) }),
      );
      expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/Parley-test/sdk');
      await client.send(new PutTargetsCommand({ Rule: 'sdk', EventBusName: 'Parley-test', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));
      const { Rules } = await client.send(new ListRulesCommand({ EventBusName: 'Parley-test' }));
      expect(Rules?.map((rule) => rule.Name).sort()).toEqual(['details', 'rooms', 'sdk']);
      const { Targets } = await client.send(new ListTargetsByRuleCommand({ Rule: 'sdk', EventBusName: 'Parley-test' }));
      expect(Targets?.map((target) => target.Id)).toEqual(['t']);
      const put = await client.send(
        new PutEventsCommand({ Entries: [{ EventBusName: 'Parley-test', Source: 'parley', DetailType: 'room.created', Detail: '{}', Time: new Date() }] }),
      );
      expect(put.FailedEntryCount).toBe(0);
      expect(deliveries.map((d) => d.target.Id).sort()).toEqual([expect.any(String), 't'].sort());
    });

    it('answers a rule that does not exist with the AWS error', async () => {
      await expect(client.send(new ListTargetsByRuleCommand({ Rule: 'missing', EventBusName: 'Parley-test' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    });

    it('answers an unknown operation and a malformed body with AWS-style errors', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const unknown = await fetch(url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.StartReplay' }, body: '{}' });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
      const malformed = await fetch(url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents' }, body: '{' });
      expect(await malformed.json()).toMatchObject({ __type: 'SerializationException' });
    });
  });
});
