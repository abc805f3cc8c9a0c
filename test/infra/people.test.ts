import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { peopleRequestSchemas } from '../../lambdas/domain/people/protocol';
import { PEOPLE_ENV } from '../../lambdas/wiring/env';
import { ConfigError } from '../../lib/config';
import { synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

describe('people and invitations infrastructure', () => {
  let parley: SynthesizedParley;
  let realtime: Record<string, Resource>;

  beforeAll(() => {
    parley = synthParley();
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  const functionOfRoute = (routeKey: string): string => {
    const route = Object.values(realtime).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties['RouteKey'] === routeKey,
    );
    expect(route, `route ${routeKey}`).toBeDefined();
    const integration = realtime[route!.Properties['Target']['Fn::Join'][1][1].Ref as string]!;
    return /"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/.exec(JSON.stringify(integration.Properties['IntegrationUri']))![1]!;
  };

  const variablesOf = (id: string): Record<string, unknown> =>
    realtime[parley.functionLogicalId(id)]!.Properties['Environment'].Variables as Record<string, unknown>;

  it.each(Object.keys(peopleRequestSchemas))('routes %s to the People function', (action) => {
    expect(functionOfRoute(action)).toBe(parley.functionLogicalId('People'));
  });

  it('lets the rooms table expire invitations by TTL on expiresAt', () => {
    parley.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: ROOMS_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: ROOMS_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: ROOMS_TABLE.nameIndex.name })]),
    });
  });

  it('searches everyone and keeps invitations 7 days by default', () => {
    expect(variablesOf('People')).toMatchObject({ [PEOPLE_ENV.peopleSearch]: 'everyone', [PEOPLE_ENV.invitationDays]: '7' });
    // inviteMember (on the Rooms function) sets the expiry too.
    expect(variablesOf('Rooms')).toMatchObject({ [PEOPLE_ENV.invitationDays]: '7' });
  });

  it('takes the search scope and the invitations’ lifetime from the configuration', () => {
    const custom = synthParley({ peopleSearch: 'sharedRooms', invitationDays: '3' });
    const fn = custom.realtime.toJSON().Resources[custom.functionLogicalId('People')] as Resource;

    expect(fn.Properties['Environment'].Variables).toMatchObject({
      [PEOPLE_ENV.peopleSearch]: 'sharedRooms',
      [PEOPLE_ENV.invitationDays]: '3',
    });
  });

  it('refuses an unknown search scope or a lifetime out of bounds', () => {
    expect(() => synthParley({ peopleSearch: 'strangers' })).toThrow(ConfigError);
    expect(() => synthParley({ invitationDays: '0' })).toThrow(ConfigError);
  });
});
