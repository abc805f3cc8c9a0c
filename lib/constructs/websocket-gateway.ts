import { Stack, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogField, CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import {
  WebSocketApi,
  WebSocketIntegrationType,
  WebSocketRouteIntegration,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { WebSocketRoute, WebSocketRouteIntegrationBindOptions, WebSocketRouteIntegrationConfig } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { stageAccessLogs } from './stage-access-logs';

export interface WebSocketGatewayProps {
  readonly stageName: string;
  /** Verifies the token of every new connection, on $connect. */
  readonly authorizer: IFunction;
  /** Stage-wide throttle, all connections together. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Registers API Gateway's account-wide CloudWatch Logs role (needed once per account and region). */
  readonly manageAccountRole: boolean;
}

/** The identity source the authorizer reads: `wss://…?token=<JWT>`. */
export const TOKEN_IDENTITY_SOURCE = 'route.request.querystring.token';

/** Built-in routes that cannot answer their caller: $connect replies with the handshake, $disconnect with nothing. */
const ONE_WAY_ROUTES: ReadonlySet<string> = new Set(['$connect', '$disconnect']);

/**
 * A function's integration, shared by all the routes it serves, with ONE
 * permission for API Gateway to invoke it from this API (any stage, any
 * route) instead of one per route. Each route's permission would be a
 * resource of its own, and the realtime stack's routes alone would take a
 * sixth of CloudFormation's 500 resources a stack; the API's own routes are
 * the only callers either way.
 */
class FunctionIntegration extends WebSocketRouteIntegration {
  private permitted = false;

  constructor(
    id: string,
    private readonly handler: IFunction,
  ) {
    super(id);
  }

  bind({ route }: WebSocketRouteIntegrationBindOptions): WebSocketRouteIntegrationConfig {
    const stack = Stack.of(route);
    if (!this.permitted) {
      this.handler.addPermission('WebSocketApiInvoke', {
        principal: new ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: stack.formatArn({ service: 'execute-api', resource: route.webSocketApi.apiId, resourceName: '*' }),
      });
      this.permitted = true;
    }
    return {
      type: WebSocketIntegrationType.AWS_PROXY,
      uri: stack.formatArn({
        service: 'apigateway',
        account: 'lambda',
        resource: 'path/2015-03-31/functions',
        resourceName: `${this.handler.functionArn}/invocations`,
      }),
    };
  }
}

/**
 * The WebSocket API Parley's clients connect to: routes selected by the
 * `action` field of each frame, a Lambda REQUEST authorizer on $connect, one
 * stage with access logs (no bodies) and a default throttle.
 */
export class WebSocketGateway extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  private readonly authorizer: WebSocketLambdaAuthorizer;
  private readonly integrations = new Map<IFunction, FunctionIntegration>();
  private readonly routes = new Map<string, WebSocketRoute>();

  constructor(scope: Construct, id: string, props: WebSocketGatewayProps) {
    super(scope, id);

    this.api = new WebSocketApi(this, 'Api', {
      description: 'Parley realtime chat',
      routeSelectionExpression: '$request.body.action',
    });
    this.authorizer = new WebSocketLambdaAuthorizer('TokenAuthorizer', props.authorizer, {
      identitySource: [TOKEN_IDENTITY_SOURCE],
    });

    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: stageAccessLogs(this, {
        retention: props.logRetention,
        removalPolicy: props.logRemovalPolicy,
        fields: {
          eventType: AccessLogField.contextEventType(),
          routeKey: AccessLogField.contextRouteKey(),
          connectionId: AccessLogField.contextConnectionId(),
          status: AccessLogField.contextStatus(),
          sourceIp: AccessLogField.contextIdentitySourceIp(),
          authorizerError: AccessLogField.contextAuthorizerError(),
        },
      }),
    });

    if (props.manageAccountRole) {
      const role = new Role(this, 'CloudWatchRole', {
        assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
        managedPolicies: [
          ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
        ],
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'API Gateway documents this AWS managed policy for its account-level logging role; it only lets the ' +
          'service write its own log groups, and AWS keeps it current with the service.',
      });
      const account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
      this.stage.node.addDependency(account);
    }
  }

  /**
   * Routes `routeKey` to `handler`. $connect gets the token authorizer;
   * every other route except $disconnect sends the function's response
   * body back to the caller (acks and error frames).
   */
  addRoute(routeKey: string, handler: IFunction): WebSocketRoute {
    if (this.routes.has(routeKey)) throw new Error(`The WebSocket route ${routeKey} is defined twice.`);
    let integration = this.integrations.get(handler);
    if (integration === undefined) {
      integration = new FunctionIntegration('Integration', handler);
      this.integrations.set(handler, integration);
    }
    const route = this.api.addRoute(routeKey, {
      integration,
      returnResponse: !ONE_WAY_ROUTES.has(routeKey),
      ...(routeKey === '$connect' ? { authorizer: this.authorizer } : {}),
    });
    if (routeKey !== '$connect') {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'API Gateway WebSocket APIs authorize once, on $connect (token authorizer); later frames of the ' +
          'connection carry its verified identity and route authorizers are not supported.',
      });
    }
    // Create the stage after its routes so its first automatic deployment has them all.
    this.stage.node.addDependency(route);
    this.routes.set(routeKey, route);
    return route;
  }
}
