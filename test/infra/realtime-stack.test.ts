import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpRouteSpendsActionBudget } from '../../lambdas/domain/http-protocol';
import { requestSchemas, spendsActionBudget } from '../../lambdas/domain/protocol';
import { ENV } from '../../lambdas/wiring/env';
import { HTTP_ROUTES, routeKeyOf } from '../../lambdas/domain/http-protocol';
import { ROUTED_FUNCTIONS } from '../../lib/realtime-functions';
import { synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

const ACTIONS = Object.keys(requestSchemas);

/** Which function serves each route, as the design says. */
const EXPECTED_ROUTES: Record<string, string> = {
  $connect: 'Connect',
  $disconnect: 'Disconnect',
  $default: 'DefaultRoute',
  ping: 'DefaultRoute',
  startRound: 'Imposter',
  sendRoundLine: 'Imposter',
  castVote: 'Imposter',
  getRound: 'Imposter',
  getLeaderboard: 'Imposter',
  listScenarios: 'Dialogue',
  uploadScenario: 'Dialogue',
  startDialogue: 'Dialogue',
  takeDialogueTurn: 'Dialogue',
  endDialogue: 'Dialogue',
  getDialogue: 'Dialogue',
  createRoom: 'Rooms',
  listRooms: 'Rooms',
  joinRoom: 'Rooms',
  leaveRoom: 'Rooms',
  inviteMember: 'Rooms',
  setRole: 'Rooms',
  removeMember: 'Rooms',
  listMembers: 'Rooms',
  updateProfile: 'Rooms',
  updateRoom: 'RoomAdmin',
  deleteRoom: 'RoomAdmin',
  transferOwnership: 'RoomAdmin',
  banMember: 'RoomAdmin',
  unbanMember: 'RoomAdmin',
  listBans: 'RoomAdmin',
  getRoom: 'RoomAdmin',
  searchRooms: 'RoomAdmin',
  sendMessage: 'SendMessage',
  editMessage: 'SendMessage',
  getHistory: 'GetHistory',
  listHeldMessages: 'Moderation',
  getSummary: 'MemorySummary',
  typing: 'Presence',
  markRead: 'Presence',
  getReadState: 'Presence',
};

type Resource = { Type: string; Properties: Record<string, any> };

describe('RealtimeStack', () => {
  let parley: SynthesizedParley;
  let resources: Record<string, Resource>;

  const routeByKey = (routeKey: string): [string, Resource] => {
    const found = Object.entries(resources).filter(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties['RouteKey'] === routeKey,
    );
    expect(found, `route ${routeKey}`).toHaveLength(1);
    return found[0]!;
  };

  /** The logical id of the function a route's integration invokes. */
  const functionOfRoute = (route: Resource): string => {
    const integrationId = route.Properties['Target']['Fn::Join'][1][1].Ref as string;
    const integration = resources[integrationId]!;
    expect(integration.Properties['IntegrationType']).toBe('AWS_PROXY');
    const invoked = JSON.stringify(integration.Properties['IntegrationUri']);
    const match = /"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/.exec(invoked);
    return match![1]!;
  };

  beforeAll(() => {
    parley = synthParley();
    resources = parley.realtime.toJSON().Resources;
  });

  it('selects routes by the action field of each frame', () => {
    parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  it('has a route for every protocol action', () => {
    const routeKeys = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && JSON.stringify(r.Properties['ApiId']).includes('WebSocket'))
      .map((r) => r.Properties['RouteKey'] as string);

    expect(ACTIONS.length).toBeGreaterThan(0);
    expect(routeKeys.sort()).toEqual([...ACTIONS, '$connect', '$disconnect', '$default'].sort());
  });

  it.each(Object.entries(EXPECTED_ROUTES))('routes %s to the %s function', (routeKey, functionId) => {
    const [, route] = routeByKey(routeKey);

    expect(functionOfRoute(route)).toBe(parley.functionLogicalId(functionId));
  });

  it('gives the function that edits messages the edit window, 15 minutes by default', () => {
    const sendMessage = resources[parley.functionLogicalId('SendMessage')]!;

    expect(sendMessage.Properties['Environment'].Variables[ENV.editWindowSeconds]).toBe('900');
  });

  it('answers the caller on every action route and on $default', () => {
    for (const routeKey of [...ACTIONS, '$default']) {
      const [routeId, route] = routeByKey(routeKey);

      expect(route.Properties['RouteResponseSelectionExpression']).toBe('$default');
      parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', {
        RouteId: { Ref: routeId },
        RouteResponseKey: '$default',
      });
    }
    parley.realtime.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', ACTIONS.length + 1);
  });

  it('guards $connect with the token REQUEST authorizer, and only $connect', () => {
    const [, connect] = routeByKey('$connect');
    const authorizers = parley.realtime.findResources('AWS::ApiGatewayV2::Authorizer');
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;

    expect(Object.keys(authorizers)).toHaveLength(1);
    expect(authorizer.Properties.AuthorizerType).toBe('REQUEST');
    expect(authorizer.Properties.IdentitySource).toEqual(['route.request.querystring.token']);
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(
      `"Fn::GetAtt":["${parley.functionLogicalId('Authorizer')}","Arn"]`,
    );
    expect(connect.Properties['AuthorizationType']).toBe('CUSTOM');
    expect(connect.Properties['AuthorizerId']).toEqual({ Ref: authorizerId });
    const others = Object.values(resources).filter(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties['RouteKey'] !== '$connect',
    );
    for (const route of others) expect(route.Properties['AuthorizationType']).toBe('NONE');
  });

  it('lets API Gateway invoke the authorizer', () => {
    parley.realtime.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [parley.functionLogicalId('Authorizer'), 'Arn'] },
    });
  });

  it('deploys one stage with access logs and the configured throttle', () => {
    // The other stage is the HTTP API's (http-api.test.ts).
    parley.realtime.resourceCountIs('AWS::ApiGatewayV2::Stage', 2);
    parley.realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'prod',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.connectionId'),
      },
    });
  });

  it('takes stage name and throttle from the configuration', () => {
    const custom = synthParley({ stage: 'dev', stageThrottleRate: '50', stageThrottleBurst: '80' });

    custom.realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'dev',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 },
    });
  });

  it('runs every function on Node.js 24, arm64, traced, with the house defaults', () => {
    const functions = parley.realtime.findResources('AWS::Lambda::Function');

    expect(Object.keys(functions)).toHaveLength(ROUTED_FUNCTIONS.length + 1);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: expect.any(Number),
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'parley',
            POWERTOOLS_METRICS_NAMESPACE: 'Parley',
            LOG_LEVEL: 'INFO',
          }),
        },
      });
    }
    // 256 MB unless the function's row sets its own memory size.
    const ownMemory = ROUTED_FUNCTIONS.filter((spec) => spec.memorySize !== undefined).length;
    expect(Object.values(functions).filter((fn) => fn.Properties.MemorySize !== 256)).toHaveLength(ownMemory);
    // 10 s unless the function's row sets its own timeout.
    const ownTimeouts = ROUTED_FUNCTIONS.filter((spec) => spec.timeout !== undefined).length;
    expect(Object.values(functions).filter((fn) => fn.Properties.Timeout !== 10)).toHaveLength(ownTimeouts);
  });

  it('lets every function behind a route finish within API Gateway’s 29 s integration timeout', () => {
    const integrated = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Integration')
      .flatMap((r) => [...JSON.stringify(r.Properties['IntegrationUri']).matchAll(/"Fn::GetAtt":\["([^"]+)","Arn"\]/g)])
      .map((match) => match[1] as string);
    const timeouts = [...new Set(integrated)].map((id) => resources[id]?.Properties['Timeout'] as number | undefined);

    expect(timeouts.length).toBeGreaterThan(5);
    for (const timeout of timeouts) expect(timeout).toBeLessThanOrEqual(29);
  });

  it('gives each function a log group with the configured retention', () => {
    const custom = synthParley({ logRetentionDays: '90' });

    custom.realtime.resourcePropertiesCountIs(
      'AWS::Logs::LogGroup',
      { RetentionInDays: 90 },
      ROUTED_FUNCTIONS.length + 3, // the functions, the authorizer and the two APIs' access logs
    );
  });

  it('sets the table names only where the table is bound', () => {
    const env = (id: string): Record<string, unknown> =>
      (resources[parley.functionLogicalId(id)]!.Properties['Environment']?.Variables ?? {}) as Record<string, unknown>;

    expect(Object.keys(env('GetHistory')).filter((k) => k.endsWith('_TABLE')).sort()).toEqual([
      ENV.messagesTable,
      ENV.roomsTable,
    ]);
    expect(Object.keys(env('Disconnect')).filter((k) => k.endsWith('_TABLE')).sort()).toEqual([
      ENV.connectionsTable,
      ENV.roomsTable,
    ]);
    expect(Object.keys(env('DefaultRoute')).filter((k) => k.endsWith('_TABLE'))).toEqual([]);
  });

  it('gives the posting functions the stage callback URL', () => {
    for (const id of ['Rooms', 'RoomAdmin', 'SendMessage', 'People', 'Connect', 'Disconnect', 'Presence']) {
      const variables = resources[parley.functionLogicalId(id)]!.Properties['Environment'].Variables;
      const url = variables[ENV.managementEndpoint]['Fn::Join'][1] as unknown[];

      expect(url[0]).toBe('https://');
      expect(url.at(-1)).toBe('/prod');
      expect(JSON.stringify(url)).toContain('.execute-api.');
    }
  });

  it('passes the message limits to SendMessage from the configuration', () => {
    const custom = synthParley({ maxTextBytes: '8192', rateLimitPerSecond: '2', rateLimitBurst: '4' });

    custom.realtime.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.maxTextBytes]: '8192',
          [ENV.rateLimitPerSecond]: '2',
          [ENV.rateLimitBurst]: '4',
        }),
      },
    });
  });

  it('gives every function that serves a changing action the action budget, and no other', () => {
    const custom = synthParley({ actionRateLimitPerSecond: '3', actionRateLimitBurst: '12' });
    const functions = custom.realtime.findResources('AWS::Lambda::Function');
    const budgeted = ROUTED_FUNCTIONS.filter(
      (spec) => spec.routes.some(spendsActionBudget) || (spec.httpRoutes ?? []).some(httpRouteSpendsActionBudget),
    ).map((spec) => spec.id);

    expect(budgeted).toEqual(expect.arrayContaining(['Rooms', 'Agents', 'Moderation', 'Retention', 'HttpKeys']));
    for (const spec of ROUTED_FUNCTIONS) {
      const variables = (functions[custom.functionLogicalId(spec.id)]!.Properties['Environment']?.Variables ?? {}) as Record<string, unknown>;
      if (budgeted.includes(spec.id)) {
        expect(variables, spec.id).toMatchObject({
          [ENV.actionRateLimitPerSecond]: '3',
          [ENV.actionRateLimitBurst]: '12',
          [ENV.connectionsTable]: expect.anything(),
        });
      } else {
        expect(variables[ENV.actionRateLimitPerSecond], spec.id).toBeUndefined();
      }
    }
  });

  it("points the authorizer at the stack's user pool and app client by default", () => {
    const variables = resources[parley.functionLogicalId('Authorizer')]!.Properties['Environment'].Variables;

    const { userPool, userPoolClient } = parley.statefulStack.data;
    const poolId = parley.statefulStack.resolve((userPool!.node.defaultChild as CfnElement).logicalId) as string;
    const clientId = parley.statefulStack.resolve((userPoolClient!.node.defaultChild as CfnElement).logicalId) as string;

    // The issuer is https:// + the pool's provider name (cognito-idp.<region>.amazonaws.com/<pool id>).
    const [, issuerParts] = variables[ENV.jwtIssuer]['Fn::Join'];
    expect(issuerParts[0]).toBe('https://');
    expect(issuerParts[1]['Fn::ImportValue']).toMatch(new RegExp(`${poolId}ProviderName`));
    expect(variables[ENV.jwtAudience]['Fn::ImportValue']).toContain(clientId);
    expect(variables[ENV.jwksUri]).toBeUndefined();
  });

  it('points the authorizer at another issuer when configured', () => {
    const custom = synthParley({
      jwtIssuer: 'https://id.example.com',
      jwtAudience: 'parley-web',
      jwksUri: 'https://id.example.com/keys',
    });

    custom.realtime.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.jwtIssuer]: 'https://id.example.com',
          [ENV.jwtAudience]: 'parley-web',
          [ENV.jwksUri]: 'https://id.example.com/keys',
        }),
      },
    });
  });

  it('registers the API Gateway logging role unless told not to', () => {
    const without = synthParley({ apiGatewayAccountRole: 'false' });

    parley.realtime.resourceCountIs('AWS::ApiGateway::Account', 1);
    without.realtime.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('outputs the WebSocket and management URLs', () => {
    parley.realtime.hasOutput('WebSocketUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['wss://'])] } });
    parley.realtime.hasOutput('ManagementUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://'])] } });
  });
});
