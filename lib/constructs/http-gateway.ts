import { Duration, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogField } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpMethod as RouteMethod } from '../../lambdas/domain/http-protocol';
import { stageAccessLogs } from './stage-access-logs';

export interface HttpGatewayProps {
  /** Stage-wide throttle, all callers together (each API key has its own limits besides). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** The response headers a browser script may read: the rate-limit state and when to retry. */
export const EXPOSED_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'];

/**
 * The HTTP API for machine clients, beside the WebSocket API: Lambda proxy
 * routes (payload format 2.0) on a `$default` stage with access logs (no
 * bodies, no headers) and a stage-wide throttle.
 *
 * Authentication happens in each function's edge (lambdas/shared/http-action.ts),
 * not in an API Gateway authorizer: an API key is checked against its hash
 * in the integrations table and spends its own rate and quota there, so
 * the function reads the table anyway, and user tokens are verified by the
 * same code as the WebSocket API's.
 *
 * CORS: an HTTP API has one CORS configuration for all its routes. The
 * widget's routes must be callable from any site, and every caller
 * authenticates with a bearer token in `Authorization`, never a cookie,
 * so any origin is allowed and credentials never are: a page on another
 * site can do nothing a script holding the same token could not do.
 */
export class HttpGateway extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();
  private readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: HttpGatewayProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      description: 'Parley HTTP API for machine clients',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: EXPOSED_HEADERS,
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: stageAccessLogs(this, {
        retention: props.logRetention,
        removalPolicy: props.logRemovalPolicy,
        fields: {
          routeKey: AccessLogField.contextRouteKey(),
          status: AccessLogField.contextStatus(),
          sourceIp: AccessLogField.contextIdentitySourceIp(),
          responseLength: AccessLogField.contextResponseLength(),
        },
      }),
    });
  }

  /** Routes `method path` (e.g. `GET /v1/rooms/{roomId}/messages`) to `handler`. */
  addRoute(method: RouteMethod, path: string, handler: IFunction): HttpRoute {
    const routeKey = `${method} ${path}`;
    if (this.routes.has(routeKey)) throw new Error(`The HTTP route ${routeKey} is defined twice.`);
    let integration = this.integrations.get(handler);
    if (integration === undefined) {
      // One permission per function for the whole API, not one per route: see FunctionIntegration in websocket-gateway.ts.
      integration = new HttpLambdaIntegration('Integration', handler, { scopePermissionToRoute: false });
      this.integrations.set(handler, integration);
    }
    const [route] = this.api.addRoutes({ path, methods: [HttpMethod[method]], integration });
    if (route === undefined) throw new Error(`No HTTP route was created for ${routeKey}.`);
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route authenticates in its function (API keys checked against their hash in the integrations ' +
        'table, which also counts their rate and quota; user ID tokens verified like the WebSocket authorizer does).',
    });
    this.routes.set(routeKey, route);
    return route;
  }

  /** The API's URL, `https://{id}.execute-api.{region}.amazonaws.com/`. */
  get url(): string {
    return this.stage.url;
  }
}
