import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config';
import { buildParleyApp } from '../../lib/parley-app';
import { assemblyDir, removeAssemblyDirs } from './assembly-dirs';

describe('parseConfig', () => {
  it('fills in production defaults', () => {
    const config = parseConfig({});

    expect(config).toMatchObject({
      stage: 'prod',
      maxTextBytes: 4096,
      rateLimitPerSecond: 5,
      rateLimitBurst: 10,
      logRetentionDays: 30,
      dataRemovalPolicy: 'retain',
      deletionProtection: true,
      selfSignUp: true,
      userPoolMfa: 'optional',
      userPoolFeaturePlan: 'plus',
    });
    expect(config.jwtIssuer).toBeUndefined();
  });

  it('reads the strings that `cdk -c key=value` passes', () => {
    const config = parseConfig({
      maxTextBytes: '8192',
      deletionProtection: 'false',
      selfSignUp: 'false',
      logRetentionDays: '7',
    });

    expect(config).toMatchObject({ maxTextBytes: 8192, deletionProtection: false, selfSignUp: false, logRetentionDays: 7 });
  });

  it('names every invalid key', () => {
    const parse = () =>
      parseConfig({ maxTextBytes: 'lots', logRetentionDays: '8', dataRemovalPolicy: 'shred', deletionProtection: 'no' });

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/maxTextBytes[\s\S]*logRetentionDays[\s\S]*dataRemovalPolicy[\s\S]*deletionProtection/);
  });

  it('rejects a stage name that cannot name a stack', () => {
    expect(() => parseConfig({ stage: 'Prod_1' })).toThrow(/stage/);
  });

  it('requires an audience with a custom issuer', () => {
    expect(() => parseConfig({ jwtIssuer: 'https://id.example.com' })).toThrow(/jwtAudience/);
  });

  it('rejects a burst below the sustained rate', () => {
    expect(() => parseConfig({ rateLimitPerSecond: '10', rateLimitBurst: '5' })).toThrow(/rateLimitBurst/);
  });
});

describe('parseConfig: alarms', () => {
  it('sends alarms to no email by default and accepts an address', () => {
    expect(parseConfig({}).alarmEmail).toBeUndefined();
    expect(parseConfig({ alarmEmail: 'oncall@example.com' }).alarmEmail).toBe('oncall@example.com');
  });

  it('rejects an alarm email that is not an address', () => {
    expect(() => parseConfig({ alarmEmail: 'oncall' })).toThrow(/alarmEmail/);
  });
});

describe('parseConfig: agents\' models', () => {
  it('allows Nova Lite, Nova Micro and Claude 3 Haiku by default, Nova Lite for new agents, and no OpenAI endpoint', () => {
    const config = parseConfig({});

    expect(config.agentModelIds).toEqual(['amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0']);
    expect(config.agentDefaultModelId).toBe('amazon.nova-lite-v1:0');
    expect(config.openAiBaseUrl).toBeUndefined();
  });

  it('accepts inference profiles, application profile ARNs and openai: models, from a comma-separated list', () => {
    const ids = [
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
      'openai:gpt-4o-mini',
    ];

    const config = parseConfig({
      agentModelIds: ids.join(' , '),
      agentDefaultModelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      openAiBaseUrl: 'https://api.openai.com/v1/',
      openAiApiKeySecret: 'parley/openai',
    });

    expect(config.agentModelIds).toEqual(ids);
    expect(config.agentDefaultModelId).toBe('us.anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(config.openAiBaseUrl).toBe('https://api.openai.com/v1');
    expect(config.openAiApiKeySecret).toBe('parley/openai');
  });

  it('names the malformed model id and says what a model id looks like', () => {
    const parse = () => parseConfig({ agentModelIds: 'amazon.nova-lite-v1:0,eu.Claude,arn:aws:bedrock:us-east-1::foundation-model/x' });

    expect(parse).toThrow(/agentModelIds\.1: "eu\.Claude": an inference profile id is "eu\." followed by a foundation model id/);
    expect(parse).toThrow(/agentModelIds\.2: .*not an application inference profile ARN/);
  });

  it('requires the default model among the allowed ones', () => {
    expect(() => parseConfig({ agentModelIds: 'amazon.nova-pro-v1:0' })).toThrow(/agentModelIds: must include amazon\.nova-lite-v1:0/);
    expect(() => parseConfig({ agentDefaultModelId: 'amazon.nova-pro-v1:0' })).toThrow(/must include amazon\.nova-pro-v1:0/);
    expect(parseConfig({ agentModelIds: 'amazon.nova-pro-v1:0', agentDefaultModelId: 'amazon.nova-pro-v1:0' }).agentModelIds).toEqual([
      'amazon.nova-pro-v1:0',
    ]);
  });

  it('requires an https base URL for openai: models, and a secret only with it', () => {
    expect(() => parseConfig({ agentModelIds: 'amazon.nova-lite-v1:0,openai:gpt-4o' })).toThrow(/openAiBaseUrl: required for openai:gpt-4o/);
    expect(() => parseConfig({ openAiBaseUrl: 'http://api.example.com/v1' })).toThrow(/openAiBaseUrl: an https URL/);
    expect(() => parseConfig({ openAiApiKeySecret: 'parley/openai' })).toThrow(/openAiApiKeySecret: only meaningful with openAiBaseUrl/);
    expect(() => parseConfig({ openAiBaseUrl: 'https://api.example.com/v1', openAiApiKeySecret: 'not a secret!' })).toThrow(
      /openAiApiKeySecret: a Secrets Manager secret ARN or name/,
    );
  });

  it('lets the memory summarizer use an inference profile but not the OpenAI endpoint', () => {
    expect(parseConfig({ memorySummaryModelId: 'eu.amazon.nova-lite-v1:0' }).memorySummaryModelId).toBe('eu.amazon.nova-lite-v1:0');
    expect(() => parseConfig({ memorySummaryModelId: 'openai:gpt-4o-mini' })).toThrow(/memorySummaryModelId: .*not a Bedrock model/);
    expect(() => parseConfig({ memorySummaryModelId: 'haiku' })).toThrow(/memorySummaryModelId: "haiku" is not a model id/);
  });
});

describe('buildParleyApp', () => {
  afterAll(removeAssemblyDirs);

  it('stops on invalid context before building anything', () => {
    expect(() => buildParleyApp({ context: { maxTextBytes: '0' }, outdir: assemblyDir() })).toThrow(/maxTextBytes/);
  });

  it('names the stacks after the stage', () => {
    const app = buildParleyApp({ context: { stage: 'dev', 'aws:cdk:bundling-stacks': [] }, outdir: assemblyDir() });

    expect(app.node.children.map((child) => child.node.id).sort()).toEqual(['Parley-dev-Realtime', 'Parley-dev-Stateful', 'Parley-dev-Web']);
  });
});
