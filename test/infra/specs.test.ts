import { beforeAll, describe, expect, it } from 'vitest';
import { SPEC_ROUTES } from '../../lambdas/contracts/documents';
import { routeKeyOf } from '../../lambdas/domain/http-protocol';
import { actionsOf, statementsOfFunction, synthParley, type SynthesizedParley } from './synth-parley';

let parley: SynthesizedParley;

beforeAll(() => {
  parley = synthParley();
});

describe('the Specs function', () => {
  it('serves both documents on the HTTP API, through a payload 2.0 proxy integration and no authorizer', () => {
    const routes = parley.realtime.findResources('AWS::ApiGatewayV2::Route');
    const integrations = parley.realtime.findResources('AWS::ApiGatewayV2::Integration');
    const keys = Object.values(SPEC_ROUTES).map(routeKeyOf);

    expect(keys).toEqual(['GET /v1/openapi.json', 'GET /v1/asyncapi.json']);
    for (const key of keys) {
      const route = Object.values(routes).find((r) => r['Properties']['RouteKey'] === key);
      expect(route, key).toBeDefined();
      expect(route?.['Properties']['AuthorizationType'] ?? 'NONE').toBe('NONE');
      const target = JSON.stringify(route?.['Properties']['Target']);
      const integration = Object.entries(integrations).find(([id]) => target.includes(id))?.[1];
      expect(integration?.['Properties']).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(JSON.stringify(integration?.['Properties']['IntegrationUri'])).toContain(parley.functionLogicalId('Specs'));
    }
  });

  it('may write its logs and traces and touch nothing else: no table, queue, key or API', () => {
    const actions = statementsOfFunction(parley.realtime, parley.functionLogicalId('Specs')).flatMap(actionsOf);

    expect(actions.filter((action) => !/^(xray|logs):/.test(action))).toEqual([]);
  });

  it('has no environment of its own beyond what every function carries', () => {
    const fn = parley.realtime.findResources('AWS::Lambda::Function')[parley.functionLogicalId('Specs')];
    const variables = Object.keys(fn?.['Properties']['Environment']?.['Variables'] ?? {});

    expect(variables.filter((name) => !/^(POWERTOOLS_|LOG_LEVEL|NODE_OPTIONS|AWS_)/.test(name))).toEqual([]);
  });
});
