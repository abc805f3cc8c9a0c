import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config';
import type { ParleyConfig } from './config';
import { featuresOf } from './profile-config';
import { WebClient } from './constructs/web-client';
import { RealtimeStack } from './realtime-stack';
import { StatefulStack } from './stateful-stack';

export interface BuildParleyAppOptions {
  /** Where `app.synth()` writes the cloud assembly. @default the CDK default (cdk.out, or the CLI's choice) */
  readonly outdir?: string;
  /** CDK context, on top of cdk.json and `-c` values; Parley's keys are in lib/config.ts. */
  readonly context?: Record<string, unknown>;
}

/**
 * CDK feature flags, set here rather than in cdk.json so that the CLI, the
 * tests and anything else that builds the app in-process synthesize the same
 * templates. Context given by the caller or with `cdk -c` overrides them.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/core:target-partitions': ['aws', 'aws-cn'],
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': true,
  '@aws-cdk/aws-dynamodb:resourcePolicyPerReplica': true,
  '@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy': true,
  // The realtime stack imports the tables' exports, so CloudFormation refuses
  // to delete a table the running functions still use.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

export interface ParleyStackIds {
  readonly stateful: string;
  readonly realtime: string;
  readonly web: string;
}

/** The stack names of a stage. */
export const stackIds = (config: Pick<ParleyConfig, 'stage'>): ParleyStackIds => ({
  stateful: `Parley-${config.stage}-Stateful`,
  realtime: `Parley-${config.stage}-Realtime`,
  web: `Parley-${config.stage}-Web`,
});

/**
 * Builds Parley's CDK app: validates the configuration, creates the stateful
 * and realtime stacks, and registers the cdk-nag AwsSolutions checks, which
 * make `app.synth()` fail on any unacknowledged finding. Nothing is
 * synthesized or written until the caller calls `app.synth()`.
 */
export function buildParleyApp(options: BuildParleyAppOptions = {}): App {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: { ...FEATURE_FLAGS, ...options.context },
  });
  const config = readConfig(app);
  const ids = stackIds(config);

  const stateful = new StatefulStack(app, ids.stateful, {
    config,
    description: `Parley ${config.stage}: tables, encryption key and user pool`,
  });
  const realtime = new RealtimeStack(app, ids.realtime, {
    config,
    data: stateful.data,
    description: `Parley ${config.stage}: WebSocket API and functions`,
  });
  // The browser client: static files on S3 behind CloudFront, configured from the other stacks' outputs.
  const { userPool, userPoolClient } = stateful.data;
  if (featuresOf(config).webClient && userPool !== undefined && userPoolClient !== undefined) {
    new WebClient(new Stack(app, ids.web, { description: `Parley ${config.stage}: the web client (S3 and CloudFront)` }), 'WebClient', {
      webSocketUrl: realtime.gateway.stage.url,
      webSocketEndpoint: realtime.gateway.api.apiEndpoint,
      httpApiUrl: realtime.httpGateway.url,
      httpApiEndpoint: realtime.httpGateway.api.apiEndpoint,
      // Where the presigned upload form posts: the SDK signs for the bucket's virtual-hosted regional endpoint.
      documentsEndpoint: `https://${stateful.data.documents.bucket.bucketRegionalDomainName}`,
      userPool,
      userPoolClient,
      selfSignUp: config.selfSignUp,
      maxTextBytes: config.maxTextBytes,
      editWindowSeconds: config.editWindowSeconds,
      removalPolicy: config.dataRemovalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      logRetention: config.logRetentionDays,
    });
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return app;
}
