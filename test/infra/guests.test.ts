import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, allStatements, statementsOfFunction, synthParley, type SynthesizedParley } from './synth-parley';

describe('guests', () => {
  let parley: SynthesizedParley;

  beforeAll(() => {
    parley = synthParley();
  });

  const secretLogicalId = () => Object.keys(parley.stateful.findResources('AWS::SecretsManager::Secret', {
    Properties: { Description: 'Signs Parley guest tokens (HS256); read by the guest token function and the authorizer only' },
  }))[0] as string;

  it('keeps a generated signing secret in the stateful stack', () => {
    parley.stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    expect(secretLogicalId()).toBeDefined();
  });

  it('lets only the guest token function and the authorizer read it', () => {
    const readers = allStatements(parley.realtime).filter(
      (s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(secretLogicalId()),
    );
    const readerOf = (id: string) =>
      statementsOfFunction(parley.realtime, parley.functionLogicalId(id)).some(
        (s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(secretLogicalId()),
      );

    expect(readers).toHaveLength(2);
    expect(readerOf('GuestTokens')).toBe(true);
    expect(readerOf('Authorizer')).toBe(true);
    for (const statement of readers) expect(actionsOf(statement)).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('gives the token function the room reads, its rate limits and where guests connect', () => {
    const actions = statementsOfFunction(parley.realtime, parley.functionLogicalId('GuestTokens'))
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'))
      .sort();

    expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    parley.realtime.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          GUEST_TOKEN_AUDIENCE: 'parley-prod',
          GUEST_TOKENS_PER_IP_BURST: '5',
          GUEST_WS_URL: { 'Fn::Join': ['', Match.arrayWith(['wss://', '/prod'])] },
        }),
      },
    });
  });

  it('routes POST /v1/rooms/{roomId}/guest-tokens on the HTTP API to the token function, with no authorizer', () => {
    const routes = parley.realtime.findResources('AWS::ApiGatewayV2::Route', {
      Properties: { RouteKey: 'POST /v1/rooms/{roomId}/guest-tokens' },
    });
    const [route] = Object.values(routes);
    const integrations = parley.realtime.findResources('AWS::ApiGatewayV2::Integration');
    const integration = Object.entries(integrations).find(([id]) => JSON.stringify(route?.['Properties']['Target']).includes(id))?.[1];

    expect(Object.keys(routes)).toHaveLength(1);
    expect(route?.['Properties']['AuthorizationType'] ?? 'NONE').toBe('NONE');
    expect(integration?.['Properties']).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(JSON.stringify(integration?.['Properties']['IntegrationUri'])).toContain(parley.functionLogicalId('GuestTokens'));
  });

  it('tells the authorizer the guest tokens’ audience and secret', () => {
    parley.realtime.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Verifies the JWT of a new WebSocket connection',
      Environment: { Variables: Match.objectLike({ GUEST_TOKEN_AUDIENCE: 'parley-prod', GUEST_TOKEN_SECRET: Match.anyValue() }) },
    });
  });
});
