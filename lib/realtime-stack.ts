import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ParleyConfig } from './config';
import { Operations } from './constructs/operations';
import { ParleyFunction } from './constructs/parley-function';
import { HttpGateway } from './constructs/http-gateway';
import { WebSocketGateway } from './constructs/websocket-gateway';
import { httpRouteSpendsActionBudget } from '../lambdas/domain/http-protocol';
import { spendsActionBudget } from '../lambdas/domain/protocol';
import { bindActionBudget, type BindContext, type FunctionSpec } from './function-spec';
import { AUTHORIZER, ROUTED_FUNCTIONS } from './realtime-functions';
import type { ParleyData } from './stateful-stack';

export interface RealtimeStackProps extends StackProps {
  readonly config: ParleyConfig;
  readonly data: ParleyData;
}

/**
 * What runs Parley's realtime chat: the WebSocket API, its authorizer and
 * the functions behind its routes, built from the table in
 * realtime-functions.ts, and their alarms and dashboard (Operations).
 * Stateless: it can be destroyed and redeployed.
 */
export class RealtimeStack extends Stack {
  readonly gateway: WebSocketGateway;
  /** The HTTP API for machine clients (docs/http-api.md). */
  readonly httpGateway: HttpGateway;
  readonly functions: ReadonlyMap<string, ParleyFunction>;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: RealtimeStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const logRemovalPolicy = config.dataRemovalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const createFunction = (spec: FunctionSpec): ParleyFunction =>
      new ParleyFunction(this, spec.id, {
        handlerFile: spec.handlerFile,
        description: spec.description,
        logRetention: config.logRetentionDays,
        logRemovalPolicy,
        logLevel: config.logLevel,
        bundleMetafile: config.bundleMetafile,
        ...(spec.memorySize === undefined ? {} : { memorySize: spec.memorySize }),
        ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }),
      });

    const authorizer = createFunction(AUTHORIZER);
    this.gateway = new WebSocketGateway(this, 'WebSocket', {
      stageName: config.stage,
      authorizer: authorizer.function,
      throttle: { rateLimit: config.stageThrottleRate, burstLimit: config.stageThrottleBurst },
      logRetention: config.logRetentionDays,
      logRemovalPolicy,
      manageAccountRole: config.apiGatewayAccountRole,
    });

    this.httpGateway = new HttpGateway(this, 'Http', {
      throttle: { rateLimit: config.httpThrottleRate, burstLimit: config.httpThrottleBurst },
      logRetention: config.logRetentionDays,
      logRemovalPolicy,
    });

    const context: BindContext = { data, config, api: this.gateway.api, stage: this.gateway.stage };
    const functions = new Map<string, ParleyFunction>([[AUTHORIZER.id, authorizer]]);
    AUTHORIZER.bind(authorizer, context);
    for (const spec of ROUTED_FUNCTIONS) {
      const fn = createFunction(spec);
      spec.bind(fn, context);
      if (spec.routes.some(spendsActionBudget) || (spec.httpRoutes ?? []).some(httpRouteSpendsActionBudget)) {
        bindActionBudget(fn, context);
      }
      for (const routeKey of spec.routes) this.gateway.addRoute(routeKey, fn.function);
      for (const { method, path } of spec.httpRoutes ?? []) this.httpGateway.addRoute(method, path, fn.function);
      functions.set(spec.id, fn);
    }
    this.functions = functions;

    this.operations = new Operations(this, 'Operations', {
      functions,
      api: this.gateway.api,
      stage: this.gateway.stage,
      httpApi: { apiId: this.httpGateway.api.apiId, stageName: this.httpGateway.stage.stageName },
      alarmTopic: data.alarmTopic,
      queues: {
        'agent jobs': data.agentQueues.jobs,
        'agent jobs DLQ': data.agentQueues.deadLetters,
        'agent dispatch failures': data.agentQueues.dispatchFailures,
        'fan-out jobs': data.fanOutQueues.jobs,
        'fan-out jobs DLQ': data.fanOutQueues.deadLetters,
        'room purge jobs': data.roomPurgeQueues.jobs,
        'room purge jobs DLQ': data.roomPurgeQueues.deadLetters,
        'moderation stream failures': data.streamFailures.moderation,
        'memory stream failures': data.streamFailures.memory,
        'audit archive failures': data.streamFailures.auditArchive,
        'document ingestion': data.documents.queue,
        'document ingestion DLQ': data.documents.deadLetters,
        'events stream failures': data.streamFailures.events,
        'analytics events': data.analyticsEvents.queue,
        'analytics events DLQ': data.analyticsEvents.deadLetters,
        'imposter jobs': data.gameQueues.imposterJobs,
        'imposter jobs DLQ': data.gameQueues.imposterDeadLetters,
        'dialogue jobs': data.gameQueues.dialogueJobs,
        'dialogue jobs DLQ': data.gameQueues.dialogueDeadLetters,
      },
      dashboardName: `Parley-${config.stage}`,
    });

    new CfnOutput(this, 'WebSocketUrl', {
      value: this.gateway.stage.url,
      description: 'Clients connect here: wss://…?token=<ID token>',
    });
    new CfnOutput(this, 'HttpApiUrl', {
      value: this.httpGateway.url,
      description: 'Machine clients call the HTTP API here: Authorization: Bearer <API key or ID token>',
    });
    new CfnOutput(this, 'ManagementUrl', {
      value: this.gateway.stage.callbackUrl,
      description: 'API Gateway management (callback) endpoint for posting to connections',
    });
  }
}
