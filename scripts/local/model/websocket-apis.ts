import type { AssemblyStack, TemplateResource } from '../assembly';
import type { LocalAuthorizer, LocalFunction, LocalRoute, LocalWebSocketApi } from '../model';
import type { WebSocketApiResource } from './resources';
import type { Resolve } from './stack-resolvers';
import { resourceKey } from './template-values';

type FunctionInUri = (uri: string) => LocalFunction | undefined;
type ResourceEntry = [logicalId: string, resource: TemplateResource];

/** Finds the function an integration or authorizer URI names, given the functions by ARN. */
export function functionInUriOf(byArn: ReadonlyMap<string, LocalFunction>): FunctionInUri {
  // Integration URIs embed the function ARN: arn:aws:apigateway:…/functions/<arn>/invocations
  return (uri) => {
    const match = /functions\/(arn:[^/]+)\/invocations/.exec(uri);
    return match ? byArn.get(match[1] as string) : byArn.get(uri);
  };
}

/** The function behind each integration, by the integration's logical id. */
const readIntegrations = (ofApi: (type: string) => ResourceEntry[], resolve: Resolve, functionInUri: FunctionInUri) =>
  new Map(
    ofApi('AWS::ApiGatewayV2::Integration').map(([id, r]) => [
      id,
      functionInUri(String(resolve(r.Properties?.['IntegrationUri'] ?? ''))),
    ]),
  );

/** Each Lambda authorizer, by its logical id; undefined for one whose function is not local. */
const readAuthorizers = (ofApi: (type: string) => ResourceEntry[], resolve: Resolve, functionInUri: FunctionInUri) =>
  new Map(
    ofApi('AWS::ApiGatewayV2::Authorizer').map(([id, r]): [string, LocalAuthorizer | undefined] => {
      const fn = functionInUri(String(resolve(r.Properties?.['AuthorizerUri'] ?? '')));
      return [
        id,
        fn
          ? {
              name: String(r.Properties?.['Name'] ?? id),
              functionKey: fn.key,
              identitySource: (r.Properties?.['IdentitySource'] ?? []) as string[],
            }
          : undefined,
      ];
    }),
  );

/** The routes by route key, each with its function, its authorizer, and whether it answers the caller. */
function readRoutes(ofApi: (type: string) => ResourceEntry[], resolve: Resolve, functionInUri: FunctionInUri) {
  const integrations = readIntegrations(ofApi, resolve, functionInUri);
  const authorizers = readAuthorizers(ofApi, resolve, functionInUri);
  const withResponse = new Set(
    ofApi('AWS::ApiGatewayV2::RouteResponse').map(
      ([, r]) => (r.Properties?.['RouteId'] as { Ref?: string } | undefined)?.Ref,
    ),
  );
  const routes = new Map<string, LocalRoute>();
  for (const [id, r] of ofApi('AWS::ApiGatewayV2::Route')) {
    const props = r.Properties ?? {};
    const target = String(resolve(props['Target'] ?? ''));
    const integrationId = target.replace(/^integrations\//, '');
    const fn = integrations.get(integrationId);
    const authorizerId = (props['AuthorizerId'] as { Ref?: string } | undefined)?.Ref;
    const authorizer = authorizerId ? authorizers.get(authorizerId) : undefined;
    const routeKey = String(props['RouteKey']);
    routes.set(routeKey, {
      routeKey,
      ...(fn ? { functionKey: fn.key } : {}),
      returnResponse: withResponse.has(id) || props['RouteResponseSelectionExpression'] !== undefined,
      ...(authorizer ? { authorizer } : {}),
    });
  }
  return routes;
}

/**
 * Reads a WebSocket API's routes, integrations, authorizers, route responses
 * and stage from the resources of its stack that name it in `ApiId`.
 */
export function readWebSocketApi(
  { stackName, logicalId, resource, apiId }: WebSocketApiResource,
  stacks: readonly AssemblyStack[],
  resolve: Resolve,
  functionInUri: FunctionInUri,
): LocalWebSocketApi {
  const resources = Object.entries(stacks.find((s) => s.stackName === stackName)?.template.Resources ?? {});
  const ofApi = (type: string) =>
    resources.filter(
      ([, r]) => r.Type === type && (r.Properties?.['ApiId'] as { Ref?: string } | undefined)?.Ref === logicalId,
    );
  const routes = readRoutes(ofApi, resolve, functionInUri);
  const stage = ofApi('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties?.['StageName'];
  return {
    key: resourceKey(stackName, logicalId),
    apiId,
    name: String(resource.Properties?.['Name'] ?? logicalId),
    routeSelectionExpression: String(resource.Properties?.['RouteSelectionExpression'] ?? '$request.body.action'),
    stage: stage === undefined ? '$default' : String(resolve(stage)),
    routes,
  };
}
