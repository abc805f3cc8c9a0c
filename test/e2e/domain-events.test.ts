import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { until } from '../support/wait';
import { browserSuite, createRoom, screenshot, send, texts } from './support/browser';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const soon = { timeout: 20_000, interval: 100 };

interface BusEvent {
  readonly 'detail-type': string;
  readonly detail: { roomId: string; data: Record<string, unknown> };
}

/**
 * The room setting that lets message text into domain events, in a real
 * headless Chromium against the local runtime: the owner ticks it, the
 * setting stays, and the room's next message reaches a bus subscriber with
 * its text. Screenshots land in test-results/web/.
 */
describe('sharing message text in events from the web client', () => {
  const suite = browserSuite();

  it('lets the owner opt the room in, and its messages then carry their text on the bus', { timeout: 180_000 }, async () => {
    const { parley } = suite;
    const endpoint = parley.services.find((service) => service.name === 'EventBridge')!.url;
    const events = new EventBridgeClient({ endpoint, region: parley.region, credentials: CREDENTIALS });
    const sqs = new SQSClient({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'web-events-subscriber' }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    const pattern = { source: ['parley'], 'detail-type': ['message.posted'] };
    await events.send(new PutRuleCommand({ Name: 'web-subscriber', EventBusName: 'Parley-local', EventPattern: JSON.stringify(pattern) }));
    await events.send(new PutTargetsCommand({ Rule: 'web-subscriber', EventBusName: 'Parley-local', Targets: [{ Id: 'q', Arn: arn }] }));
    const received: BusEvent[] = [];
    const drain = async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      received.push(...Messages.map((m) => JSON.parse(m.Body!) as BusEvent));
      return received;
    };

    const alice = await suite.person('alice');
    const roomId = await createRoom(alice.page, 'Open data');
    await send(alice.page, 'before opting in');
    await expect.poll(() => texts(alice.page), soon).toEqual(['before opting in']);

    await alice.page.getByRole('tab', { name: 'Settings' }).click();
    const settings = alice.page.getByRole('form', { name: 'Room settings' });
    const share = settings.getByLabel(/Include message text in the room’s events/);
    expect(await share.isChecked()).toBe(false);
    await share.check();
    await settings.getByRole('button', { name: 'Update room' }).click();
    await screenshot(alice.page, 'events-share-text');

    await alice.page.reload();
    await alice.page.getByRole('tab', { name: 'Settings' }).click();
    await expect.poll(() => alice.page.getByRole('form', { name: 'Room settings' }).getByLabel(/Include message text/).isChecked(), soon).toBe(true);

    await send(alice.page, 'after opting in');
    const inRoom = (events: BusEvent[]) => events.filter((event) => event.detail.roomId === roomId);
    const posted = await until(drain, (events) => inRoom(events).length >= 2, 60_000);
    // The message posted before the owner opted in stays private, even when its event goes out after.
    const byLength = inRoom(posted).map((event) => [event.detail.data['length'], event.detail.data['text'] ?? null]);
    expect(byLength.sort()).toEqual([
      [15, 'after opting in'],
      [16, null],
    ]);
  });
});
