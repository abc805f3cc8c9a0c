import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES } from '../../lambdas/domain/events/domain-events';
import { DEFAULT_RETRY_BASE_SECONDS, MAX_DELIVERY_ATTEMPTS } from '../../lambdas/domain/integrations/webhooks';
import { INTEGRATIONS_ENV, WEBHOOKS_ENV } from '../../lambdas/wiring/env';
import {
  WEBHOOK_EVENTS_MAX_RECEIVE_COUNT,
  WEBHOOK_FUNCTION_TIMEOUT,
  WEBHOOK_VISIBILITY_TIMEOUT,
} from '../../lib/constructs/webhook-queues';
import { WEBHOOK_DELIVERY_BATCH_SIZE, WEBHOOK_DISPATCH_BATCH_SIZE } from '../../lib/webhook-functions';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('webhook infrastructure', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;
  const logicalIdOf = (construct: unknown) =>
    parley.statefulStack.resolve((construct as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const functionOf = (id: string) => realtime[parley.functionLogicalId(id)]!;
  const envOf = (id: string) => functionOf(id).Properties['Environment'].Variables as Record<string, unknown>;
  const grantsOn = (functionId: string, needle: string) =>
    [
      ...new Set(
        statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))
          .filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle)))
          .flatMap(actionsOf),
      ),
    ].sort();
  const sqsOn = (id: string, queue: unknown) => grantsOn(id, `${logicalIdOf(queue)}Arn`).filter((a) => a.startsWith('sqs:'));
  const dynamoOn = (id: string, table: unknown) => grantsOn(id, `${logicalIdOf(table)}Arn`).filter((a) => a.startsWith('dynamodb:'));
  const mappingsOf = (id: string) =>
    Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === parley.functionLogicalId(id),
    );

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('sends every Parley domain event on the bus to the WebhookEvents queue', () => {
    const { events, eventsDeadLetters } = parley.statefulStack.data.webhookQueues;

    parley.stateful.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(parley.statefulStack.data.eventBus) },
      EventPattern: { source: ['parley'], 'detail-type': [...DOMAIN_EVENT_TYPES] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(events), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(eventsDeadLetters), 'Arn'] } },
        }),
      ],
    });
    parley.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(events) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            // SendMessage alone: EventBridge needs nothing else of the queue.
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('WebhookEventsRule'), 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('keeps events and delivery jobs on standard queues encrypted with the content key, whose dead-letter queues take the last failures', () => {
    const { events, eventsDeadLetters, deliveries, deliveriesDeadLetters } = parley.statefulStack.data.webhookQueues;
    const contentKey = { 'Fn::GetAtt': [parley.contentKeyLogicalId, 'Arn'] };

    for (const queue of [events, eventsDeadLetters, deliveries, deliveriesDeadLetters]) {
      expect(stateful[logicalIdOf(queue)]!.Properties['KmsMasterKeyId']).toEqual(contentKey);
      expect(stateful[logicalIdOf(queue)]!.Properties['SqsManagedSseEnabled']).toBeUndefined();
    }
    expect(stateful[logicalIdOf(events)]!.Properties).toMatchObject({
      VisibilityTimeout: WEBHOOK_VISIBILITY_TIMEOUT.toSeconds(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(eventsDeadLetters), 'Arn'] }, maxReceiveCount: WEBHOOK_EVENTS_MAX_RECEIVE_COUNT },
    });
    expect(stateful[logicalIdOf(deliveries)]!.Properties).toMatchObject({
      VisibilityTimeout: WEBHOOK_VISIBILITY_TIMEOUT.toSeconds(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(deliveriesDeadLetters), 'Arn'] }, maxReceiveCount: MAX_DELIVERY_ATTEMPTS },
    });
    for (const queue of [events, deliveries]) expect(stateful[logicalIdOf(queue)]!.Properties['FifoQueue']).toBeUndefined();
    for (const queue of [eventsDeadLetters, deliveriesDeadLetters]) {
      expect(stateful[logicalIdOf(queue)]!.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 86_400 });
    }
  });

  it('lets EventBridge use the content key only to encrypt for rules on Parley’s bus, and only from the rule into its queues', () => {
    const { events, eventsDeadLetters } = parley.statefulStack.data.webhookQueues;
    const keyPolicy = stateful[parley.contentKeyLogicalId]!.Properties['KeyPolicy'].Statement as Array<Record<string, any>>;
    const forEvents = keyPolicy.filter((statement) => statement['Principal']?.Service === 'events.amazonaws.com');

    expect(forEvents).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':rule/', { Ref: logicalIdOf(parley.statefulStack.data.eventBus) }, '/*'])] } },
        },
      }),
    ]);
    // The queues take messages from the webhook rule alone, the dead-letter queue included.
    for (const queue of [events, eventsDeadLetters]) {
      parley.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('WebhookEventsRule'), 'Arn'] } } },
            }),
          ]),
        },
      });
    }
  });

  it('lets the dispatcher make data keys to send delivery jobs, with named actions only', () => {
    const key = grantsOn('DispatchWebhooks', `${parley.contentKeyLogicalId}Arn`).filter((a) => a.startsWith('kms:'));

    expect(key).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
    expect(key.filter((a) => a.includes('*') || a === 'kms:ReEncrypt')).toEqual([]);
  });

  it('alarms on both dead-letter queues as soon as anything lands there', () => {
    const { eventsDeadLetters, deliveriesDeadLetters } = parley.statefulStack.data.webhookQueues;
    for (const queue of [eventsDeadLetters, deliveriesDeadLetters]) {
      parley.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } }],
        Threshold: 1,
        AlarmActions: [{ Ref: logicalIdOf(parley.statefulStack.data.alarmTopic) }],
      });
    }
  });

  it('feeds each function from its queue with partial batch responses', () => {
    const { events, deliveries } = parley.statefulStack.data.webhookQueues;
    const [dispatch] = mappingsOf('DispatchWebhooks');
    const [deliver] = mappingsOf('DeliverWebhooks');

    expect(dispatch!.Properties).toMatchObject({ BatchSize: WEBHOOK_DISPATCH_BATCH_SIZE, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(JSON.stringify(dispatch!.Properties['EventSourceArn'])).toContain(logicalIdOf(events));
    expect(deliver!.Properties).toMatchObject({ BatchSize: WEBHOOK_DELIVERY_BATCH_SIZE, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(JSON.stringify(deliver!.Properties['EventSourceArn'])).toContain(logicalIdOf(deliveries));
    for (const id of ['DispatchWebhooks', 'DeliverWebhooks']) {
      expect(functionOf(id).Properties['Timeout']).toBe(WEBHOOK_FUNCTION_TIMEOUT.toSeconds());
    }
  });

  it('lets the dispatcher only query webhooks and send delivery jobs', () => {
    const { integrationsTable, roomsTable, webhookQueues } = parley.statefulStack.data;

    expect(dynamoOn('DispatchWebhooks', integrationsTable)).toEqual(['dynamodb:Query']);
    expect(dynamoOn('DispatchWebhooks', roomsTable)).toEqual([]);
    expect(sqsOn('DispatchWebhooks', webhookQueues.deliveries)).toEqual(['sqs:SendMessage']);
    expect(sqsOn('DispatchWebhooks', webhookQueues.deliveriesDeadLetters)).toEqual([]);
    expect(envOf('DispatchWebhooks')).toMatchObject({
      [INTEGRATIONS_ENV.table]: expect.anything(),
      [WEBHOOKS_ENV.deliveriesQueueUrl]: expect.anything(),
    });
  });

  it('lets the deliverer read a webhook, disable it, log attempts and delay a retry, and nothing more', () => {
    const { integrationsTable, webhookQueues } = parley.statefulStack.data;

    expect(dynamoOn('DeliverWebhooks', integrationsTable)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(sqsOn('DeliverWebhooks', webhookQueues.deliveries)).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    expect(sqsOn('DeliverWebhooks', webhookQueues.events)).toEqual([]);
    expect(envOf('DeliverWebhooks')).toMatchObject({
      [INTEGRATIONS_ENV.table]: expect.anything(),
      [WEBHOOKS_ENV.deliveriesQueueUrl]: expect.anything(),
      [WEBHOOKS_ENV.retryBaseSeconds]: String(DEFAULT_RETRY_BASE_SECONDS),
    });
    // Loopback targets are the local runtime's alone.
    expect(envOf('DeliverWebhooks')).not.toHaveProperty(WEBHOOKS_ENV.allowLoopback);
  });

  it('grants no other function the webhook queues or routes an action to the webhook functions', () => {
    const { webhookQueues } = parley.statefulStack.data;
    for (const id of ['SendMessage', 'Rooms', 'RoomAdmin', 'FanOutWorker']) {
      expect(sqsOn(id, webhookQueues.deliveries)).toEqual([]);
      expect(sqsOn(id, webhookQueues.events)).toEqual([]);
    }
    const integrations = JSON.stringify(Object.values(realtime).filter((r) => r.Type === 'AWS::ApiGatewayV2::Integration'));
    expect(integrations).not.toContain(parley.functionLogicalId('DispatchWebhooks'));
    expect(integrations).not.toContain(parley.functionLogicalId('DeliverWebhooks'));
  });

  it('routes the five management routes of the HTTP API to the WebhooksApi function', () => {
    const routes = Object.values(realtime).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    const integrations = realtime;
    for (const key of [
      'POST /v1/rooms/{roomId}/webhooks',
      'GET /v1/rooms/{roomId}/webhooks',
      'DELETE /v1/rooms/{roomId}/webhooks/{webhookId}',
      'POST /v1/rooms/{roomId}/webhooks/{webhookId}/rotate-secret',
      'GET /v1/rooms/{roomId}/webhooks/{webhookId}/deliveries',
    ]) {
      const route = routes.find((r) => r.Properties['RouteKey'] === key);
      expect(route, key).toBeDefined();
      const target = JSON.stringify(route!.Properties['Target']);
      const integrationId = Object.keys(integrations).find((id) => integrations[id]!.Type === 'AWS::ApiGatewayV2::Integration' && target.includes(id));
      expect(JSON.stringify(integrations[integrationId!]!.Properties['IntegrationUri'])).toContain(parley.functionLogicalId('WebhooksApi'));
    }
  });

  it('lets the management function read rooms, change webhooks and append to the audit trail, and reach no queue', () => {
    const { integrationsTable, roomsTable, auditTable, webhookQueues } = parley.statefulStack.data;

    expect(dynamoOn('WebhooksApi', integrationsTable)).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamoOn('WebhooksApi', roomsTable)).toEqual(['dynamodb:GetItem']);
    expect(dynamoOn('WebhooksApi', auditTable)).toEqual(['dynamodb:PutItem']);
    for (const queue of [webhookQueues.events, webhookQueues.eventsDeadLetters, webhookQueues.deliveries, webhookQueues.deliveriesDeadLetters]) {
      expect(sqsOn('WebhooksApi', queue)).toEqual([]);
    }
    expect(envOf('WebhooksApi')).not.toHaveProperty(WEBHOOKS_ENV.allowLoopback);
  });
});
