import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config';
import { buildParleyApp, stackIds } from '../../lib/parley-app';
import { ENV } from '../../lambdas/wiring/env';
import { assemblyDir, removeAssemblyDirs } from './assembly-dirs';

const LOCALSTACK = {
  profile: 'localstack',
  jwtIssuer: 'https://idp.parley.localhost',
  jwtAudience: 'parley-local',
  jwksUri: 'http://host.docker.internal:3002/.well-known/jwks.json',
};

/** Synthesizes every stack of the app (cdk-nag included) without bundling. */
function synth(context: Record<string, unknown>) {
  const app = buildParleyApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, outdir: assemblyDir() });
  const assembly = app.synth();
  const ids = stackIds({ stage: 'prod' });
  return {
    stackNames: assembly.stacks.map((stack) => stack.stackName),
    stateful: Template.fromJSON(assembly.getStackByName(ids.stateful).template),
    realtime: Template.fromJSON(assembly.getStackByName(ids.realtime).template),
    templates: assembly.stacks.map((stack) => Template.fromJSON(stack.template)),
  };
}

let localstack: ReturnType<typeof synth> | undefined;
const synthLocalStack = () => (localstack ??= synth(LOCALSTACK));

describe('the localstack profile', () => {
  afterAll(removeAssemblyDirs);

  it('is refused without the issuer to trust, and with Bedrock-only options', () => {
    const parse = () => parseConfig({ profile: 'localstack', memoryEmbeddingModelId: 'amazon.titan-embed-text-v2:0' });

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/jwtIssuer: required with profile=localstack[\s\S]*memoryEmbeddingModelId: not available with profile=localstack/);
    expect(() => parseConfig({ profile: 'emulator' })).toThrow(/profile/);
    expect(parseConfig({}).profile).toBe('aws');
  });

  it('synthesizes without the user pool, the web client and Object Lock, keeping the WebSocket API', () => {
    const { stackNames, stateful, realtime, templates } = synthLocalStack();

    expect(stackNames).toEqual(['Parley-prod-Stateful', 'Parley-prod-Realtime']);
    stateful.resourceCountIs('AWS::Cognito::UserPool', 0);
    stateful.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    expect(Object.keys(stateful.findOutputs('*'))).not.toContain('UserPoolId');
    for (const template of templates) {
      template.resourceCountIs('AWS::CloudFront::Distribution', 0);
      expect(template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } })).toEqual({});
    }
    // The WebSocket API and the HTTP API for machine clients.
    realtime.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
  });

  it("points the authorizer at the configured issuer's key set", () => {
    const { realtime } = synthLocalStack();

    realtime.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [ENV.jwtIssuer]: LOCALSTACK.jwtIssuer,
          [ENV.jwtAudience]: LOCALSTACK.jwtAudience,
          [ENV.jwksUri]: LOCALSTACK.jwksUri,
        },
      },
    });
  });

  it('leaves the aws profile with its user pool, web client and Object Lock', () => {
    const { stackNames, stateful } = synth({});

    expect(stackNames).toContain('Parley-prod-Web');
    stateful.resourceCountIs('AWS::Cognito::UserPool', 1);
    expect(Object.keys(stateful.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }))).toHaveLength(1);
  });
});
