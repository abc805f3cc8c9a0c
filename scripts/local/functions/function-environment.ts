import { join } from 'node:path';
import { WEBHOOKS_ENV } from '../../../lambdas/wiring/env';
import { LOCAL_CREDENTIALS } from '../engines/credentials';
import type { LocalModel } from '../model';
import { LOCAL_CONTEXT } from '../synthesize-app';

/** Where the runtime serves what the deployed app reaches over the internet. */
export interface LocalUrls {
  /** The management API (and JWKS) server, e.g. `http://127.0.0.1:3002`. */
  readonly httpUrl: string;
  /** The first WebSocket API, e.g. `ws://127.0.0.1:3001`. */
  readonly wsUrl: string;
  readonly jwksUrl: string;
}

/**
 * Maps the app's remote URLs to this machine: each stage's callback URL (the
 * management API), each API endpoint, and the identity provider's JWKS.
 */
export function localUrlRewriter(model: LocalModel, urls: LocalUrls): (value: string) => string {
  const rewrites: Array<[string, string]> = [[LOCAL_CONTEXT.jwksUri, urls.jwksUrl]];
  model.webSocketApis.forEach((api) => {
    rewrites.push([`https://${api.apiId}.execute-api.${model.region}.amazonaws.com`, urls.httpUrl]);
    rewrites.push([`wss://${api.apiId}.execute-api.${model.region}.amazonaws.com`, urls.wsUrl]);
  });
  return (value) => {
    for (const [from, to] of rewrites) if (value.startsWith(from)) return to + value.slice(from.length);
    return value;
  };
}

export interface BaseEnvironmentOptions {
  readonly region: string;
  readonly dataDir: string;
  readonly dynamoDbEndpoint: string;
  readonly sqsEndpoint: string;
  /** What the local services add, typically their AWS_ENDPOINT_URL_<SERVICE>. */
  readonly services: ReadonlyArray<Record<string, string>>;
}

/**
 * The environment every function gets before its own variables: the region,
 * dummy credentials, and the SDK's endpoint settings pointing at the local
 * engines, so handlers need no local-only branch.
 */
export function baseFunctionEnvironment(options: BaseEnvironmentOptions): Record<string, string> {
  const { region, dataDir } = options;
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    // Keep a developer's ~/.aws profiles from steering the functions elsewhere.
    AWS_CONFIG_FILE: join(dataDir, 'aws-config-none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'aws-credentials-none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: options.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SQS: options.sqsEndpoint,
    AWS_ENDPOINT_URL_S3: options.sqsEndpoint,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    // Webhook receivers run on this machine: loopback targets are allowed here, and only here.
    [WEBHOOKS_ENV.allowLoopback]: 'true',
    ...Object.assign({}, ...options.services),
  };
}
