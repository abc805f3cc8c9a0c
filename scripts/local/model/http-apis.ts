import type { AssemblyStack } from '../assembly';
import type { LocalFunction, LocalHttpApi, LocalHttpCors, LocalHttpRoute } from '../model';
import type { HttpApiResource } from './resources';
import type { Resolve } from './stack-resolvers';
import { resourceKey } from './template-values';

type FunctionInUri = (uri: string) => LocalFunction | undefined;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The template's `CorsConfiguration`, or undefined when the API answers no browser itself. */
function readCors(raw: unknown): LocalHttpCors | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const cors = raw as Record<string, unknown>;
  return {
    allowOrigins: strings(cors['AllowOrigins']),
    allowMethods: strings(cors['AllowMethods']).map((m) => m.toUpperCase()),
    allowHeaders: strings(cors['AllowHeaders']).map((h) => h.toLowerCase()),
    exposeHeaders: strings(cors['ExposeHeaders']).map((h) => h.toLowerCase()),
    allowCredentials: cors['AllowCredentials'] === true,
    ...(typeof cors['MaxAge'] === 'number' ? { maxAge: cors['MaxAge'] } : {}),
  };
}

/** `GET /v1/rooms` → method and path; `$default` has neither. */
function splitRouteKey(routeKey: string): { method?: string; path?: string } {
  if (routeKey === '$default') return {};
  const space = routeKey.indexOf(' ');
  return { method: routeKey.slice(0, space).toUpperCase(), path: routeKey.slice(space + 1) };
}

/**
 * Reads an HTTP API's routes, their Lambda proxy integrations, its CORS
 * configuration and its stage from the resources of its stack that name it
 * in `ApiId`.
 */
export function readHttpApi(
  { stackName, logicalId, resource, apiId }: HttpApiResource,
  stacks: readonly AssemblyStack[],
  resolve: Resolve,
  functionInUri: FunctionInUri,
): LocalHttpApi {
  const resources = Object.entries(stacks.find((s) => s.stackName === stackName)?.template.Resources ?? {});
  const ofApi = (type: string) =>
    resources.filter(
      ([, r]) => r.Type === type && (r.Properties?.['ApiId'] as { Ref?: string } | undefined)?.Ref === logicalId,
    );
  const integrations = new Map(
    ofApi('AWS::ApiGatewayV2::Integration').map(([id, r]) => [
      id,
      {
        fn: functionInUri(String(resolve(r.Properties?.['IntegrationUri'] ?? ''))),
        payloadFormatVersion: String(r.Properties?.['PayloadFormatVersion'] ?? '2.0'),
      },
    ]),
  );
  const routes: LocalHttpRoute[] = ofApi('AWS::ApiGatewayV2::Route').map(([, r]) => {
    const props = r.Properties ?? {};
    const routeKey = String(props['RouteKey']);
    const integration = integrations.get(String(resolve(props['Target'] ?? '')).replace(/^integrations\//, ''));
    return {
      routeKey,
      ...splitRouteKey(routeKey),
      ...(integration?.fn ? { functionKey: integration.fn.key } : {}),
      payloadFormatVersion: integration?.payloadFormatVersion ?? '2.0',
    };
  });
  const stage = ofApi('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties?.['StageName'];
  const cors = readCors(resolve(resource.Properties?.['CorsConfiguration']));
  return {
    key: resourceKey(stackName, logicalId),
    apiId,
    name: String(resource.Properties?.['Name'] ?? logicalId),
    stage: stage === undefined ? '$default' : String(resolve(stage)),
    routes,
    ...(cors ? { cors } : {}),
  };
}
