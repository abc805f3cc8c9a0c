import { beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_ENV } from '../../lambdas/wiring/env';
import { parseConfig } from '../../lib/config';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

interface Resource {
  readonly Properties: Record<string, any>;
}

const OPENAI = {
  memoryEmbeddingBaseUrl: 'https://api.openai.com/v1/',
  memoryEmbeddingModel: 'text-embedding-3-small',
  memoryEmbeddingApiKeySecret: 'parley/embeddings-key',
};

const envOf = (p: SynthesizedParley, id: string): Record<string, unknown> =>
  (p.realtime.toJSON().Resources[p.functionLogicalId(id)] as Resource).Properties['Environment'].Variables;

describe('memory embeddings configuration', () => {
  it('takes an OpenAI-compatible endpoint by URL and model, without the trailing slash', () => {
    const config = parseConfig(OPENAI);

    expect(config).toMatchObject({
      memoryEmbeddingBaseUrl: 'https://api.openai.com/v1',
      memoryEmbeddingModel: 'text-embedding-3-small',
      memoryEmbeddingApiKeySecret: 'parley/embeddings-key',
    });
  });

  it('refuses plain http outside the local runtime, and takes it there', () => {
    const local = { memoryEmbeddingBaseUrl: 'http://127.0.0.1:11434/v1', memoryEmbeddingModel: 'nomic-embed-text' };

    expect(() => parseConfig(local)).toThrow(/memoryEmbeddingBaseUrl: an https URL/);
    expect(parseConfig({ ...local, stage: 'local' }).memoryEmbeddingBaseUrl).toBe('http://127.0.0.1:11434/v1');
  });

  it('needs the model with the URL, and refuses a model or a secret without it', () => {
    expect(() => parseConfig({ memoryEmbeddingBaseUrl: 'https://api.openai.com/v1' })).toThrow(/memoryEmbeddingModel: required with memoryEmbeddingBaseUrl/);
    expect(() => parseConfig({ memoryEmbeddingModel: 'text-embedding-3-small' })).toThrow(/memoryEmbeddingModel: only meaningful/);
    expect(() => parseConfig({ memoryEmbeddingApiKeySecret: 'parley/key' })).toThrow(/memoryEmbeddingApiKeySecret: only meaningful/);
  });

  it('refuses two embedders at once, and what is not a URL', () => {
    expect(() => parseConfig({ ...OPENAI, memoryEmbeddingModelId: 'amazon.titan-embed-text-v2:0' })).toThrow(/choose one embeddings model/);
    expect(() => parseConfig({ ...OPENAI, memoryEmbeddingBaseUrl: 'ftp://example.com' })).toThrow(/memoryEmbeddingBaseUrl/);
  });
});

describe('memory embeddings bindings', () => {
  let parley: SynthesizedParley;
  let openai: SynthesizedParley;
  let titan: SynthesizedParley;

  beforeAll(() => {
    parley = synthParley();
    openai = synthParley(OPENAI);
    titan = synthParley({ memoryEmbeddingModelId: 'amazon.titan-embed-text-v2:0' });
  });

  const grants = (p: SynthesizedParley, id: string, action: string) =>
    statementsOfFunction(p.realtime, p.functionLogicalId(id)).filter((s) => actionsOf(s).includes(action));

  it('gives the memory consumer and the agent worker the endpoint, its model and its key, and nothing of Bedrock for it', () => {
    for (const id of ['MemoryStream', 'AgentWorker']) {
      expect(envOf(openai, id)).toMatchObject({
        [MEMORY_ENV.embeddingBaseUrl]: 'https://api.openai.com/v1',
        [MEMORY_ENV.embeddingModel]: 'text-embedding-3-small',
        [MEMORY_ENV.embeddingApiKeySecret]: 'parley/embeddings-key',
      });
      const secretGrants = grants(openai, id, 'secretsmanager:GetSecretValue');
      expect(JSON.stringify(secretGrants.flatMap(resourcesOf))).toContain(':secret:parley/embeddings-key-??????');
      expect(grants(openai, 'MemoryStream', 'bedrock:InvokeModel')).toEqual([]);
    }
  });

  it('binds the Titan model to the agent worker too, which embeds the query', () => {
    expect(envOf(titan, 'AgentWorker')[MEMORY_ENV.embeddingModelId]).toBe('amazon.titan-embed-text-v2:0');
    expect(JSON.stringify(grants(titan, 'AgentWorker', 'bedrock:InvokeModel').flatMap(resourcesOf))).toContain(
      '::foundation-model/amazon.titan-embed-text-v2:0',
    );
  });

  it('binds no embeddings when none is configured', () => {
    for (const id of ['MemoryStream', 'AgentWorker']) {
      expect(envOf(parley, id)).not.toHaveProperty(MEMORY_ENV.embeddingBaseUrl);
      expect(envOf(parley, id)).not.toHaveProperty(MEMORY_ENV.embeddingModelId);
    }
    expect(grants(parley, 'MemoryStream', 'secretsmanager:GetSecretValue')).toEqual([]);
  });
});
