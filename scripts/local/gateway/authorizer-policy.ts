/** What a Lambda REQUEST authorizer returns. */
export interface AuthorizerResult {
  principalId?: string;
  policyDocument?: { Statement?: Array<{ Effect?: string; Resource?: string | string[] }> };
  context?: Record<string, unknown>;
}

const resourceMatches = (resource: string | undefined, methodArn: string): boolean =>
  resource === methodArn ||
  resource === '*' ||
  (resource !== undefined && resource.endsWith('*') && methodArn.startsWith(resource.slice(0, -1)));

/** True when a statement allows the method ARN and none denies anything, as API Gateway decides. */
export function policyAllows(result: AuthorizerResult | undefined, methodArn: string): boolean {
  const statements = result?.policyDocument?.Statement ?? [];
  const allowed = statements.some((s) => {
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return s.Effect === 'Allow' && resources.some((r) => resourceMatches(r, methodArn));
  });
  const denied = statements.some((s) => s.Effect === 'Deny');
  return allowed && !denied;
}
