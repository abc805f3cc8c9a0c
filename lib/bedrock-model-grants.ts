import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { readModelRef, type BedrockModelRef } from '../lambdas/domain/agents/models';
import { acknowledgeWildcardResource } from './nag';

/**
 * Grants `actions` (bedrock:InvokeModel for Converse,
 * bedrock:InvokeModelWithResponseStream for ConverseStream) on the Bedrock
 * models named by `modelIds`, and nothing else; ids of other providers
 * (`openai:…`) are skipped. Returns the Bedrock models granted.
 *
 * - A foundation model id: the model in the stack's region.
 * - A cross-region inference profile id (`us.…`, `global.…`): the profile
 *   in the stack's region, and the foundation model in every region the
 *   profile may route to (`arn:…:bedrock:*::foundation-model/<model>`; a
 *   `global.` profile is also authorized on the region-less model ARN) only
 *   when called through one of these profiles (`bedrock:InferenceProfileArn`).
 * - An application inference profile ARN: the profile, and whichever
 *   foundation model it routes to, only through that profile. The ARN does
 *   not say which model that is, hence `foundation-model/*` under the condition.
 *
 * The routed-region wildcards are acknowledged, resource by resource, where
 * they are granted: Bedrock picks the destination region per call, and the
 * set of regions behind a profile grows over time.
 */
export function grantBedrockModels(role: IRole, modelIds: readonly string[], actions: readonly string[]): BedrockModelRef[] {
  const stack = Stack.of(role);
  const refs = modelIds
    .map((id) => readModelRef(id))
    .flatMap((result) => {
      if (!result.ok) throw new Error(result.problem);
      return result.ref.provider === 'bedrock' ? [result.ref] : [];
    });
  if (refs.length === 0) return refs;

  const model = (id: string, region: string) =>
    stack.formatArn({ service: 'bedrock', region, account: '', resource: 'foundation-model', resourceName: id });
  const systemProfileArn = (id: string) => stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: id });
  const unique = (values: string[]) => [...new Set(values)];

  const direct = unique(
    refs.map((ref) =>
      ref.kind === 'foundation-model' ? model(ref.id, stack.region) : ref.kind === 'inference-profile' ? systemProfileArn(ref.id) : ref.id,
    ),
  );
  role.addToPrincipalPolicy(new PolicyStatement({ actions: [...actions], resources: direct }));

  const systemProfiles = refs.filter((ref) => ref.kind === 'inference-profile');
  if (systemProfiles.length > 0) {
    const routed = unique(
      systemProfiles.flatMap((ref) => [
        model(ref.foundationModelId, '*'),
        ...(ref.geography === 'global' ? [model(ref.foundationModelId, '')] : []),
      ]),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: routed,
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': unique(systemProfiles.map((ref) => systemProfileArn(ref.id))) } },
      }),
    );
    for (const arn of routed.filter((resource) => resource.includes('*'))) {
      acknowledgeWildcardResource(
        role,
        arn,
        'A cross-region inference profile sends each call to the model in one of its regions, chosen by Bedrock per call; ' +
          'the grant names the one model and applies only to calls through the configured profiles (bedrock:InferenceProfileArn).',
      );
    }
  }

  const applicationProfiles = refs.filter((ref) => ref.kind === 'application-inference-profile');
  if (applicationProfiles.length > 0) {
    const anyModel = [model('*', '*'), model('*', '')];
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: anyModel,
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': unique(applicationProfiles.map((ref) => ref.id)) } },
      }),
    );
    for (const arn of anyModel) {
      acknowledgeWildcardResource(
        role,
        arn,
        'An application inference profile ARN does not name its model; the grant applies only to calls through the ' +
          'configured application profiles (bedrock:InferenceProfileArn), each of which routes to one model.',
      );
    }
  }
  return refs;
}
