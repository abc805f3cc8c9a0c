import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiEmbedder } from '../../../../lambdas/adapters/openai/openai-embedder';

interface Received {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: { model?: unknown; input?: unknown };
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An embeddings endpoint on 127.0.0.1 and an ephemeral port, answering each request with `answer`. */
async function endpoint(answer: (req: Received, res: ServerResponse) => void): Promise<{ baseUrl: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (piece: Buffer) => (text += piece.toString()));
    req.on('end', () => {
      const request = { url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(text) as Received['body'] };
      received.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1/`, received };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('OpenAiEmbedder', () => {
  it('posts the model and the text to <base URL>/embeddings with the key, and returns the vector', async () => {
    const { baseUrl, received } = await endpoint((_, res) => json(res, 200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2, 0.3] }] }));
    const embedder = new OpenAiEmbedder({ baseUrl, model: 'nomic-embed-text', apiKey: async () => 'sk-test' });

    const vector = await embedder.embed('My kids are obsessed with dinosaurs.');

    expect(vector).toEqual([0.1, -0.2, 0.3]);
    expect(received).toEqual([
      { url: '/v1/embeddings', authorization: 'Bearer sk-test', body: { model: 'nomic-embed-text', input: 'My kids are obsessed with dinosaurs.' } },
    ]);
  });

  it('sends no Authorization header without a key', async () => {
    const { baseUrl, received } = await endpoint((_, res) => json(res, 200, { data: [{ embedding: [1, 0] }] }));

    await new OpenAiEmbedder({ baseUrl, model: 'm', apiKey: async () => undefined }).embed('hi');

    expect(received[0]?.authorization).toBeUndefined();
  });

  it('says which status and what the endpoint said when it refuses', async () => {
    const { baseUrl } = await endpoint((_, res) => json(res, 401, { error: { message: 'Incorrect API key provided.' } }));
    const embedder = new OpenAiEmbedder({ baseUrl, model: 'm', apiKey: async () => 'wrong' });

    await expect(embedder.embed('hi')).rejects.toThrow('The embeddings endpoint answered HTTP 401: Incorrect API key provided.');
  });

  it('refuses an answer with no vector, or one that is not JSON', async () => {
    const answers = [
      (res: ServerResponse) => json(res, 200, { data: [] }),
      (res: ServerResponse) => json(res, 200, { data: [{ embedding: ['a', 'b'] }] }),
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy login</html>');
      },
    ];
    const { baseUrl } = await endpoint((_, res) => answers.shift()?.(res));
    const embedder = new OpenAiEmbedder({ baseUrl, model: 'm', apiKey: async () => undefined });

    await expect(embedder.embed('a')).rejects.toThrow('returned no vector');
    await expect(embedder.embed('b')).rejects.toThrow('returned no vector');
    await expect(embedder.embed('c')).rejects.toThrow('something other than JSON');
  });

  it('gives up when the endpoint does not answer in time', async () => {
    const { baseUrl } = await endpoint(() => undefined);
    const embedder = new OpenAiEmbedder({ baseUrl, model: 'm', apiKey: async () => undefined, timeoutMs: 50 });

    await expect(embedder.embed('hi')).rejects.toThrow('The embeddings endpoint could not be reached: no answer within 50 ms');
  });

  it('says so when nothing listens at the URL', async () => {
    const embedder = new OpenAiEmbedder({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      apiKey: async () => undefined,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });

    await expect(embedder.embed('hi')).rejects.toThrow('The embeddings endpoint could not be reached: fetch failed');
  });

  it('cuts a very long text before sending it', async () => {
    const { baseUrl, received } = await endpoint((_, res) => json(res, 200, { data: [{ embedding: [1] }] }));

    await new OpenAiEmbedder({ baseUrl, model: 'm', apiKey: async () => undefined }).embed('x'.repeat(50_000));

    expect(String(received[0]?.body.input)).toHaveLength(20_000);
  });
});
