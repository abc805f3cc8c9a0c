import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
 * Events hold ids and counts, and a message's text only where its room opts
 * in, so SQS-managed encryption is used: EventBridge can write to it with no
 * key policy to keep.
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
    const common = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: props.removalPolicy } as const;
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
      targets: [new SqsQueue(this.events, { deadLetterQueue: this.eventsDeadLetters })],
    });
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
