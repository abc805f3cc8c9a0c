import type { AssemblyStack } from '../assembly';
import { createResolver, type ResourceValues, UnresolvableError } from '../intrinsics';
import { resourceKey } from './template-values';

/** Resolves the intrinsics in a template value. */
export type Resolve = (value: unknown) => unknown;

/**
 * One intrinsics resolver per stack, returned by stack name. `values` holds
 * what each resource resolves to by `resourceKey`, and fills as resources
 * are read; `Fn::ImportValue` looks through every stack's exports.
 */
export function createStackResolvers(
  stacks: readonly AssemblyStack[],
  values: ReadonlyMap<string, ResourceValues>,
  context: { readonly region: string; readonly accountId: string },
): (stackName: string) => Resolve {
  const resolvers = new Map<string, Resolve>();
  const resolverOf = (stackName: string): Resolve => {
    const resolver = resolvers.get(stackName);
    if (!resolver) throw new Error(`No stack ${stackName}`);
    return resolver;
  };
  const importValue = (name: string): unknown => {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export && resolverOf(stack.stackName)(output.Export.Name) === name) {
          return resolverOf(stack.stackName)(output.Value);
        }
      }
    }
    throw new UnresolvableError(`No stack exports ${name}`);
  };
  for (const { stackName, template } of stacks) {
    resolvers.set(
      stackName,
      createResolver({
        stackName,
        template,
        region: context.region,
        accountId: context.accountId,
        resource: (logicalId) => values.get(resourceKey(stackName, logicalId)),
        importValue,
      }),
    );
  }
  return resolverOf;
}
