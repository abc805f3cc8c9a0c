import type { AssemblyStack } from '../assembly';
import type { Resolve } from './stack-resolvers';

/** A rule's target as the template (or PutTargets) gives it. */
export interface LocalRuleTarget {
  readonly Id: string;
  readonly Arn: string;
  /** Constant JSON sent instead of the event. */
  readonly Input?: string;
  /** The part of the event sent instead of all of it, e.g. `$.detail`. */
  readonly InputPath?: string;
  /** Where events the target cannot take go (an SQS queue's ARN). */
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** An event bus rule, from the template. */
export interface LocalEventRule {
  readonly name: string;
  readonly eventBusName: string;
  /** The pattern as JSON text, as EventBridge keeps it. */
  readonly eventPattern: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string;
  readonly targets: readonly LocalRuleTarget[];
}

/** What the templates declare for the local EventBridge endpoint: the buses and their rules. */
export interface LocalEventBridgeModel {
  readonly buses: readonly string[];
  readonly rules: readonly LocalEventRule[];
}

/**
 * Reads `AWS::Events::EventBus` and `AWS::Events::Rule` resources: the rules'
 * patterns (Lambda filtering and EventBridge patterns are one language,
 * event-sources/filter.ts) and targets (Lambda and SQS ARNs, Input,
 * InputPath, dead-letter queue). Scheduled rules have no pattern and are
 * left out: nothing runs on a schedule locally.
 */
export function readEventRules(stacks: readonly AssemblyStack[], resolverOf: (stackName: string) => Resolve): LocalEventBridgeModel {
  const buses: string[] = [];
  const rules: LocalEventRule[] = [];
  for (const stack of stacks) {
    const resolve = resolverOf(stack.stackName);
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type === 'AWS::Events::EventBus') {
        buses.push(String(resolve({ Ref: logicalId })));
      } else if (resource.Type === 'AWS::Events::Rule') {
        const props = resolve(resource.Properties ?? {}) as Record<string, unknown>;
        if (props['EventPattern'] === undefined) continue;
        const pattern = props['EventPattern'];
        const targets = (Array.isArray(props['Targets']) ? props['Targets'] : []) as LocalRuleTarget[];
        rules.push({
          name: typeof props['Name'] === 'string' ? props['Name'] : `${stack.stackName}-${logicalId}`.slice(0, 64),
          eventBusName: typeof props['EventBusName'] === 'string' ? props['EventBusName'] : 'default',
          eventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern),
          state: props['State'] === 'DISABLED' ? 'DISABLED' : 'ENABLED',
          ...(typeof props['Description'] === 'string' ? { description: props['Description'] } : {}),
          targets: targets.map((target) => ({
            Id: String(target.Id),
            Arn: String(target.Arn),
            ...(typeof target.Input === 'string' ? { Input: target.Input } : {}),
            ...(typeof target.InputPath === 'string' ? { InputPath: target.InputPath } : {}),
            ...(typeof target.DeadLetterConfig?.Arn === 'string' ? { DeadLetterConfig: { Arn: target.DeadLetterConfig.Arn } } : {}),
          })),
        });
      }
    }
  }
  return { buses, rules };
}
