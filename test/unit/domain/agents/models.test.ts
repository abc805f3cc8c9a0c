import { describe, expect, it } from 'vitest';
import { modelIdProblem, parseModelRef, readModelRef } from '../../../../lambdas/domain/agents/models';

describe('readModelRef', () => {
  it('reads a foundation model id', () => {
    expect(parseModelRef('amazon.nova-lite-v1:0')).toEqual({ provider: 'bedrock', kind: 'foundation-model', id: 'amazon.nova-lite-v1:0' });
    expect(parseModelRef('anthropic.claude-3-haiku-20240307-v1:0:48k')).toMatchObject({ kind: 'foundation-model' });
    expect(parseModelRef('meta.llama3-2-11b-instruct-v1:0')).toMatchObject({ kind: 'foundation-model' });
  });

  it('reads a cross-region inference profile id as its geography and the model it routes to', () => {
    expect(parseModelRef('us.anthropic.claude-3-5-haiku-20241022-v1:0')).toEqual({
      provider: 'bedrock',
      kind: 'inference-profile',
      id: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      geography: 'us',
      foundationModelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    });
    for (const geography of ['eu', 'apac', 'us-gov', 'jp', 'au', 'global']) {
      expect(parseModelRef(`${geography}.amazon.nova-pro-v1:0`)).toMatchObject({ kind: 'inference-profile', geography, foundationModelId: 'amazon.nova-pro-v1:0' });
    }
  });

  it('reads an application inference profile ARN', () => {
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6';

    expect(parseModelRef(arn)).toEqual({
      provider: 'bedrock',
      kind: 'application-inference-profile',
      id: arn,
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      profileId: 'a1b2c3d4e5f6',
    });
    expect(parseModelRef('arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/abc')).toMatchObject({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
    });
  });

  it('reads an openai: model as the name the endpoint knows it by', () => {
    expect(parseModelRef('openai:gpt-4o-mini')).toEqual({ provider: 'openai', id: 'openai:gpt-4o-mini', model: 'gpt-4o-mini' });
    expect(parseModelRef('openai:meta-llama/Llama-3.1-8B-Instruct')).toMatchObject({ model: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(parseModelRef('openai:llama3.2:3b')).toMatchObject({ model: 'llama3.2:3b' });
  });

  it('says what is wrong with a malformed id', () => {
    expect(modelIdProblem('')).toMatch(/required/);
    expect(modelIdProblem('not a model')).toMatch(/not a model id; use a Bedrock model id .*inference profile.*openai:<model>/);
    expect(modelIdProblem('nova-lite')).toMatch(/not a model id/);
    expect(modelIdProblem('us.')).toMatch(/"us\." followed by a foundation model id/);
    expect(modelIdProblem('global.Claude Sonnet')).toMatch(/"global\." followed by a foundation model id/);
    expect(modelIdProblem('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0')).toMatch(
      /not an application inference profile ARN.*by its id/,
    );
    expect(modelIdProblem('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')).toMatch(/application inference profile ARN/);
    expect(modelIdProblem('openai:')).toMatch(/needs a model name after openai:/);
    expect(modelIdProblem('openai:gpt 4')).toMatch(/needs a model name/);
    expect(modelIdProblem(`amazon.${'x'.repeat(300)}`)).toMatch(/at most 256/);
    expect(readModelRef('AMAZON.NOVA').ok).toBe(false);
  });

  it('trims the id it reads', () => {
    expect(parseModelRef('  amazon.nova-lite-v1:0 ')).toMatchObject({ id: 'amazon.nova-lite-v1:0' });
  });
});
