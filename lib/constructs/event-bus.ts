import { Duration } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/domain/events/domain-events';

export interface ParleyEventBusProps {
  readonly stage: string;
  readonly removalPolicy: RemovalPolicy;
  /** How long the archive keeps events for replay. */
  readonly archiveDays: number;
}

/**
 * Parley's domain events (lambdas/domain/events/domain-events.ts, docs/events.md):
 * a custom bus other services and analytics subscribe to with rules, and an
 * archive of every Parley event on it, for replay.
 */
export class ParleyEventBus extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;

  constructor(scope: Construct, id: string, props: ParleyEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: `Parley-${props.stage}` });
    this.bus.applyRemovalPolicy(props.removalPolicy);
    this.archive = this.bus.archive('Archive', {
      description: 'Every Parley domain event, for replay',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(props.archiveDays),
    });
  }
}
