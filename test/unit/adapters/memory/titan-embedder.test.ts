import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { TitanEmbedder } from '../../../../lambdas/adapters/memory/titan-embedder';

const client = new BedrockRuntimeClient({ region: 'eu-west-1' });
const bedrock = mockClient(client);
afterEach(() => bedrock.reset());

const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;

describe('TitanEmbedder', () => {
  it('asks Titan v2 for a normalized 256-dimension embedding', async () => {
    bedrock.on(InvokeModelCommand).resolves({ body: body({ embedding: [0.1, 0.2, 0.3], inputTextTokenCount: 3 }) });
    const embedder = new TitanEmbedder(client, { modelId: 'amazon.titan-embed-text-v2:0' });

    const vector = await embedder.embed('Our new beagle is called Biscuit.');

    expect(vector).toEqual([0.1, 0.2, 0.3]);
    const input = bedrock.commandCalls(InvokeModelCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ modelId: 'amazon.titan-embed-text-v2:0', contentType: 'application/json' });
    expect(JSON.parse(String(input?.body))).toEqual({
      inputText: 'Our new beagle is called Biscuit.',
      dimensions: 256,
      normalize: true,
    });
  });

  it('fails when the model returns no vector', async () => {
    bedrock.on(InvokeModelCommand).resolves({ body: body({ message: 'nope' }) });
    const embedder = new TitanEmbedder(client, { modelId: 'amazon.titan-embed-text-v2:0' });

    await expect(embedder.embed('hello')).rejects.toThrow(/no vector/);
  });
});
