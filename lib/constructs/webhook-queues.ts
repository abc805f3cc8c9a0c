import { ArnFormat, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, type IRule, type IRuleTarget, Rule, type RuleTargetConfig } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './alarm-topic';
import { DOMAIN_EVENT_TYPES, EVENT_SOURCE } from '../../lambdas/domain/events/domain-events';
import { MAX_DELIVERY_ATTEMPTS } from '../../lambdas/domain/integrations/webhooks';

/** The webhook functions' timeout: a delivery's 10 s request, its DNS lookup and the log write, with room to spare. */
export const WEBHOOK_FUNCTION_TIMEOUT = Duration.seconds(30);

/** SQS's guidance for a Lambda-consumed queue: a visibility timeout of six times the function's timeout. */
export const WEBHOOK_VISIBILITY_TIMEOUT = Duration.seconds(WEBHOOK_FUNCTION_TIMEOUT.toSeconds() * 6);

/** Receives of an event by the dispatcher before it is dead-lettered. */
export const WEBHOOK_EVENTS_MAX_RECEIVE_COUNT = 5;

export interface WebhookQueuesProps {
  readonly removalPolicy: RemovalPolicy;
  /** The bus Parley's domain events are published on. */
  readonly eventBus: IEventBus;
  /** The content key: events may carry message text (rooms that opt in), like the messages table. */
  readonly encryptionKey: IKey;
  /** Where the dead-letter alarms notify. */
  readonly alarmTopic: ITopic;
}

/**
 * The pipeline of rooms' outgoing webhooks (docs/webhooks.md): a rule on the
 * event bus sends every Parley domain event to WebhookEvents, whose consumer
 * turns each into one job per subscribed webhook on WebhookDeliveries, whose
 * consumer POSTs it. Both are standard queues (order does not matter, and a
 * repeat is dropped by the receiver) with a dead-letter queue and an alarm
 * as soon as anything lands there. A delivery job is received at most
 * MAX_DELIVERY_ATTEMPTS times: each failed attempt sets its own visibility
 * (the backoff), and SQS moves it to the dead-letter queue after the last.
 * Events hold ids and counts, and a message's text where its room opts in,
 * so the queues are encrypted with the content key like every store of
 * message text; the key lets EventBridge encrypt what the rule sends
 * (eventBridgeMayEncrypt).
 */
export class WebhookQueues extends Construct {
  readonly events: Queue;
  readonly eventsDeadLetters: Queue;
  readonly deliveries: Queue;
  readonly deliveriesDeadLetters: Queue;
  readonly rule: Rule;
  readonly eventsDeadLetterAlarm: Alarm;
  readonly deliveriesDeadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WebhookQueuesProps) {
    super(scope, id);
    const common = {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    } as const;
    this.eventsDeadLetters = new Queue(this, 'WebhookEventsDeadLetters', { ...common, retentionPeriod: Duration.days(14) });
    this.events = new Queue(this, 'WebhookEvents', {
      ...common,
      visibilityTimeout: WEBHOOK_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.eventsDeadLetters, maxReceiveCount: WEBHOOK_EVENTS_MAX_RECEIVE_COUNT },
    });
    this.deliveriesDeadLetters = new Queue(this, 'WebhookDeliveriesDeadLetters', { ...common, retentionPeriod: Duration.days(14) });
    this.deliveries = new Queue(this, 'WebhookDeliveries', {
      ...common,
      visibilityTimeout: WEBHOOK_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deliveriesDeadLetters, maxReceiveCount: MAX_DELIVERY_ATTEMPTS },
    });
    this.rule = new Rule(this, 'WebhookEventsRule', {
      eventBus: props.eventBus,
      description: 'Every Parley domain event, to the webhook dispatcher',
      eventPattern: { source: [EVENT_SOURCE], detailType: [...DOMAIN_EVENT_TYPES] },
      targets: [new EncryptedQueueTarget(this.events, this.eventsDeadLetters)],
    });
    eventBridgeMayEncrypt(props.encryptionKey, props.eventBus);
    this.eventsDeadLetterAlarm = deadLetterAlarm(
      this,
      'WebhookEventsDeadLettersAlarm',
      this.eventsDeadLetters,
      'Domain events the webhook dispatcher could not read or fan out: their rooms’ webhooks did not get them (each names its room).',
      props.alarmTopic,
    );
    this.deliveriesDeadLetterAlarm = deadLetterAlarm(
      this,
      'WebhookDeliveriesDeadLettersAlarm',
      this.deliveriesDeadLetters,
      'Webhook deliveries that failed every attempt: a receiver is down or refusing (each job names its room and webhook).',
      props.alarmTopic,
    );
  }
}

/**
 * Lets EventBridge encrypt what rules on Parley's bus send to a queue under
 * `key`: kms:GenerateDataKey and kms:Decrypt, nothing more, for rules on that
 * bus in this account. The condition names the bus's rules by pattern, not
 * the rule itself: the rule's ARN would make the key depend on the rule,
 * which depends on the queue, which depends on the key.
 */
export function eventBridgeMayEncrypt(key: IKey, bus: IEventBus): void {
  const stack = Stack.of(bus);
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EventBridgeRulesOfParleyBusMayEncryptForTheirQueues',
      principals: [new ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: `${bus.eventBusName}/*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
}

/**
 * A rule's target queue encrypted with a customer managed key, with the
 * dead-letter queue for events it cannot deliver. CDK's SqsQueue target
 * grants EventBridge every encrypt and decrypt action on such a key and
 * drops the rule condition from the queue policy; here the queue policies
 * keep it (SendMessage from this rule only) and the key policy is
 * eventBridgeMayEncrypt's.
 */
class EncryptedQueueTarget implements IRuleTarget {
  constructor(
    private readonly queue: IQueue,
    private readonly deadLetters: IQueue,
  ) {}

  bind(rule: IRule): RuleTargetConfig {
    for (const queue of [this.queue, this.deadLetters]) {
      queue.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
        }),
      );
    }
    return { arn: this.queue.queueArn, targetResource: this.queue, deadLetterConfig: { arn: this.deadLetters.queueArn } };
  }
}
