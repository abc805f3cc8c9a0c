import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag `AwsSolutions-IAM5` finding for one wildcard
 * resource ARN, on `scope` only. The finding id is derived from the ARN the
 * way cdk-nag prints it, so any other wildcard under `scope` is still reported.
 */
export function acknowledgeWildcardResource(scope: IConstruct, arn: string, reason: string): void {
  const flattened = flattenCfnReference(Stack.of(scope).resolve(arn));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
}
