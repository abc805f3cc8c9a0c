import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config';
import { buildParleyApp } from '../../lib/parley-app';

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

describe('buildParleyApp', () => {
  it('stops on invalid context before building anything', () => {
    expect(() => buildParleyApp({ context: { maxTextBytes: '0' } })).toThrow(/maxTextBytes/);
  });

  it('names the stacks after the stage', () => {
    const app = buildParleyApp({ context: { stage: 'dev', 'aws:cdk:bundling-stacks': [] } });

    expect(app.node.children.map((child) => child.node.id).sort()).toEqual(['Parley-dev-Realtime', 'Parley-dev-Stateful', 'Parley-dev-Web']);
  });
});
