import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_API_FUNCTIONS } from '../../lib/http-api-functions';
import { HTTP_ROUTES, routeKeyOf } from '../../lambdas/domain/http-protocol';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley, type SynthesizedParley } from './synth-parley';

let parley: SynthesizedParley;

beforeAll(() => {
  parley = synthParley();
});

const declaredRoutes = HTTP_API_FUNCTIONS.flatMap((spec) => (spec.httpRoutes ?? []).map((r) => ({ spec, key: `${r.method} ${r.path}` })));

describe('the HTTP API', () => {
  it('is an HTTP API beside the WebSocket one, on a $default stage with the configured throttle', () => {
    parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
    parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"routeKey"') },
    });
  });

  it('allows any origin without credentials and exposes the rate-limit headers', () => {
    parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowCredentials: false,
        AllowHeaders: ['authorization', 'content-type'],
        ExposeHeaders: Match.arrayWith(['ratelimit-limit', 'retry-after']),
      }),
    });
  });

  it('routes each declared route to its function with a payload 2.0 proxy integration', () => {
    expect(declaredRoutes.length).toBeGreaterThan(0);
    const routes = parley.realtime.findResources('AWS::ApiGatewayV2::Route');
    const integrations = parley.realtime.findResources('AWS::ApiGatewayV2::Integration');
    for (const { spec, key } of declaredRoutes) {
      const route = Object.values(routes).find((r) => r['Properties']['RouteKey'] === key);
      expect(route, key).toBeDefined();
      const target = JSON.stringify(route?.['Properties']['Target']);
      const integrationId = Object.keys(integrations).find((id) => target.includes(id));
      const integration = integrations[integrationId ?? ''];
      expect(integration?.['Properties']).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(JSON.stringify(integration?.['Properties']['IntegrationUri'])).toContain(parley.functionLogicalId(spec.id));
    }
  });

  it('declares every routed path in HTTP_ROUTES, where the edge finds its schemas', () => {
    const documented = new Set(Object.values(HTTP_ROUTES).map(routeKeyOf));
    for (const { key } of declaredRoutes) expect(documented, key).toContain(key);
  });

  it('puts no API Gateway authorizer on its routes: the functions authenticate', () => {
    const routes = parley.realtime.findResources('AWS::ApiGatewayV2::Route');
    for (const { key } of declaredRoutes) {
      const route = Object.values(routes).find((r) => r['Properties']['RouteKey'] === key);
      expect(route?.['Properties']['AuthorizationType'] ?? 'NONE').toBe('NONE');
    }
  });

  it('pages on 5xx answers of the HTTP API', () => {
    parley.realtime.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Threshold: 5,
      AlarmActions: Match.anyValue(),
    });
  });

  it('outputs the API URL', () => {
    parley.realtime.hasOutput('HttpApiUrl', { Value: Match.anyValue() });
  });

  it('grants the integrations table least privilege: the edge reads and counts, only key management writes keys', () => {
    const integrations = parley.tableLogicalId(parley.statefulStack.data.integrationsTable);
    const onIntegrations = (id: string) =>
      statementsOfFunction(parley.realtime, parley.functionLogicalId(id))
        .filter((s) => JSON.stringify(resourcesOf(s)).includes(integrations))
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();

    expect(onIntegrations('HttpRooms')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(onIntegrations('HttpMessages')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(onIntegrations('HttpKeys')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('gives its functions the token issuer and the integrations table', () => {
    for (const spec of HTTP_API_FUNCTIONS) {
      const fn = parley.realtime.findResources('AWS::Lambda::Function')[parley.functionLogicalId(spec.id)];
      const variables = fn?.['Properties']['Environment']['Variables'] as Record<string, unknown>;
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(['JWT_ISSUER', 'JWT_AUDIENCE', 'INTEGRATIONS_TABLE']));
    }
  });
});
