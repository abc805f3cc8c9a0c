import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMemoryStore } from '../../lambdas/adapters/dynamodb/memory-store';
import { DEFAULT_MEMORY_POLICY } from '../../lambdas/domain/memory/types';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

interface EmbeddingRequest {
  readonly model: string;
  readonly input: string;
}

/**
 * Semantic recall through an OpenAI-compatible embeddings endpoint on the
 * local runtime (`PARLEY_EMBEDDINGS_URL`): the memory consumer embeds every
 * message it remembers through it, an agent's recall embeds its query, and
 * an endpoint that fails holds nothing back.
 */
describe('room memory with an OpenAI-compatible embeddings endpoint', () => {
  let embeddings: Server;
  let parley: LocalParleyProcess;
  let memory: DynamoMemoryStore;
  const received: EmbeddingRequest[] = [];
  let failing = false;

  beforeAll(async () => {
    // A tiny embeddings API: a vector of letter counts, enough to tell texts apart.
    embeddings = createServer((req, res) => {
      let body = '';
      req.on('data', (piece: Buffer) => (body += piece.toString()));
      req.on('end', () => {
        const request = JSON.parse(body) as EmbeddingRequest;
        received.push(request);
        if (failing || req.url !== '/v1/embeddings') {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'overloaded' } }));
          return;
        }
        const vector = Array.from({ length: 26 }, (_, i) => [...request.input.toLowerCase()].filter((c) => c.charCodeAt(0) - 97 === i).length + 0.01);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: vector }], model: request.model }));
      });
    });
    await new Promise<void>((resolve) => embeddings.listen(0, '127.0.0.1', resolve));
    const { port } = embeddings.address() as AddressInfo;
    parley = await startLocalParley({
      env: { PARLEY_EMBEDDINGS_URL: `http://127.0.0.1:${port}/v1`, PARLEY_EMBEDDINGS_MODEL: 'letters-26' },
      startTimeoutMs: 300_000,
    });
    const table = Object.entries(parley.tables).find(([key]) => /\/MemoryTable/.test(key))?.[1];
    if (table === undefined) throw new Error(`No memory table in ${Object.keys(parley.tables).join(', ')}`);
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: parley.dynamoDbEndpoint, region: parley.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    memory = new DynamoMemoryStore(documents, table);
  }, 320_000);

  afterAll(async () => {
    await parley?.stop();
    embeddings?.closeAllConnections();
    await new Promise<void>((resolve) => (embeddings ? embeddings.close(() => resolve()) : resolve()));
  });

  const remembered = async (roomId: string) => memory.messagesBetween(roomId, 1, 100, DEFAULT_MEMORY_POLICY);

  it('embeds every remembered message through the endpoint, and an agent’s query too', async () => {
    const alice = await parley.connect('alice');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'pets' });
    await alice.ok('addAgent', { roomId: room.roomId, agent: { handle: '@helper', displayName: 'Helper' } });
    await alice.ok('sendMessage', { roomId: room.roomId, text: 'We adopted a dog from the shelter, she is called Pepper.', clientMessageId: 'c1' });

    const [message] = await until(
      () => remembered(room.roomId),
      (messages) => messages.length === 1,
    );
    expect(message?.vector).toEqual(expect.any(String));
    expect(received).toContainEqual({ model: 'letters-26', input: 'We adopted a dog from the shelter, she is called Pepper.' });

    await alice.ok('sendMessage', { roomId: room.roomId, text: '@helper which pets does Farah keep at home?', clientMessageId: 'c2' });
    await alice.waitFor((f) => f.type === 'agentDone' && f['roomId'] === room.roomId, 40_000);

    // The agent's recall embedded its query: the question without the mention.
    expect(received.map((r) => r.input)).toEqual(expect.arrayContaining(['which pets does Farah keep at home?']));
  }, 90_000);

  it('remembers messages without a vector while the endpoint fails, and goes on when it is back', async () => {
    const bob = await parley.connect('bob');
    const { room } = await bob.ok<{ room: { roomId: string } }>('createRoom', { name: 'outage' });
    failing = true;
    await bob.ok('sendMessage', { roomId: room.roomId, text: 'The embeddings box is down for maintenance.', clientMessageId: 'c1' });

    const [unembedded] = await until(
      () => remembered(room.roomId),
      (messages) => messages.length === 1,
    );
    expect(unembedded?.vector).toBeUndefined();

    failing = false;
    await bob.ok('sendMessage', { roomId: room.roomId, text: 'It is back up now.', clientMessageId: 'c2' });
    const messages = await until(
      () => remembered(room.roomId),
      (found) => found.length === 2,
    );
    expect(messages.map((m) => m.vector !== undefined)).toEqual([false, true]);
  }, 90_000);
});
