import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBusPublisher } from '../../../../lambdas/adapters/eventbridge/event-bus-publisher';
import type { DomainEvent } from '../../../../lambdas/domain/events/domain-events';
import { EventsNotPublishedError } from '../../../../lambdas/domain/events/errors';

const eventBridge = mockClient(EventBridgeClient);

const event = (id: string, text?: string): DomainEvent => ({
  id,
  type: 'message.posted',
  version: 1,
  occurredAt: '2026-12-06T10:00:00.000Z',
  roomId: 'r-1',
  data: { messageId: id, senderId: 'u-bob', senderType: 'user', length: 5, ...(text === undefined ? {} : { text }) },
});

describe('EventBusPublisher', () => {
  afterEach(() => eventBridge.reset());

  const publisher = (refused: Array<{ id: string; reason: string }> = []) =>
    new EventBusPublisher(new EventBridgeClient({}), 'Parley-test', {
      baseDelayMs: 0,
      onRefused: (e, reason) => refused.push({ id: e.id, reason }),
    });

  it('puts each event with source parley, its type as detail-type and itself as detail', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    await publisher().publish([event('m-1')]);
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: 'Parley-test',
          Source: 'parley',
          DetailType: 'message.posted',
          Detail: JSON.stringify(event('m-1')),
          Time: new Date('2026-12-06T10:00:00.000Z'),
        },
      ],
    });
  });

  it('sends ten entries per call', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await publisher().publish(Array.from({ length: 23 }, (_, i) => event(`m-${i}`)));
    const sizes = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 3]);
  });

  it('retries only the entries that failed', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    await publisher().publish([event('m-1'), event('m-2')]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries?.map((entry) => JSON.parse(entry.Detail!).id)).toEqual(['m-2']);
  });

  it('names the events still failing after its attempts, and says why', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) =>
      input.Entries.length === 2
        ? { FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure' }] }
        : { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] },
    );
    const refused: Array<{ id: string; reason: string }> = [];
    const error = await publisher(refused).publish([event('m-1'), event('m-2')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventsNotPublishedError);
    expect((error as EventsNotPublishedError).eventIds).toEqual(['m-2']);
    expect(refused).toEqual([{ id: 'm-2', reason: 'failed 3 times (InternalFailure)' }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('refuses an event over 256 KB without sending it, and publishes the rest', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const refused: Array<{ id: string; reason: string }> = [];
    const error = await publisher(refused).publish([event('big', 'x'.repeat(300_000)), event('m-1')]).catch((e: unknown) => e);
    expect((error as EventsNotPublishedError).eventIds).toEqual(['big']);
    expect(refused[0]?.reason).toMatch(/over 262144 bytes/);
    expect(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries).toHaveLength(1);
  });
});
