import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { readSpec, requiredOnly, specAjv } from '../support/spec-cases';

type Json = Record<string, unknown>;

/**
 * The published specifications through Parley's front doors on the local
 * runtime: both documents served by the HTTP API as checked in; requests
 * the documents call valid are answered, over a real WebSocket and over
 * HTTP, and ones they call invalid are refused with a validation error.
 */
describe('the specifications on the local runtime', () => {
  let parley: LocalParleyProcess;
  let alice: TestClient;
  const asyncapi = readSpec('docs/asyncapi.json');
  const messages = (asyncapi['components'] as { messages: Record<string, { payload: Json; examples: Array<{ payload: Json }> }> })
    .messages;
  const ajv = specAjv();
  const verdict = (action: string, body: unknown): boolean => ajv.validate(messages[action]!.payload, body);

  beforeAll(async () => {
    parley = await startLocalParley();
    alice = await parley.connect('alice');
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it.each([
    ['/v1/openapi.json', 'docs/openapi.json'],
    ['/v1/asyncapi.json', 'docs/asyncapi.json'],
  ])('serves %s on the HTTP API, as checked in, to any origin, without credentials', async (path, file) => {
    const response = await fetch(`${parley.apiUrl}${path}`, { headers: { origin: 'https://elsewhere.example' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.json()).toEqual(readSpec(file));

    const again = await fetch(`${parley.apiUrl}${path}`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('answers an HTTP request the OpenAPI document calls valid, and refuses one it calls invalid with 400 VALIDATION', async () => {
    const openapi = readSpec('docs/openapi.json');
    const parameters = (openapi['paths'] as Record<string, Record<string, { parameters: Array<{ name: string; schema: Json; example: string }> }>>)[
      '/v1/rooms'
    ]!['get']!.parameters;
    const limit = parameters.find((p) => p.name === 'limit')!;
    expect(ajv.validate(limit.schema, limit.example)).toBe(true);
    expect(ajv.validate(limit.schema, 'ten')).toBe(false);
    const headers = { authorization: `Bearer ${await parley.token('alice')}` };

    const valid = await fetch(`${parley.apiUrl}/v1/rooms?limit=${limit.example}`, { headers });
    const invalid = await fetch(`${parley.apiUrl}/v1/rooms?limit=ten`, { headers });

    expect(valid.status).toBe(200);
    expect(await valid.json()).toMatchObject({ rooms: expect.any(Array) });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('acks a createRoom request the AsyncAPI document calls valid (its example, required fields only)', async () => {
    const example = messages['createRoom']!.examples[0]!.payload;
    const body = { ...(requiredOnly(messages['createRoom']!.payload, example) as Json), requestId: 'spec-valid' };
    expect(verdict('createRoom', body)).toBe(true);

    alice.send(JSON.stringify(body));
    const answer = await alice.waitFor((f) => f.requestId === 'spec-valid');

    expect(answer).toMatchObject({ type: 'ack', action: 'createRoom', data: { room: { name: example['name'] } } });
  });

  it('refuses a createRoom request the AsyncAPI document calls invalid, with BAD_REQUEST', async () => {
    const body = { action: 'createRoom', requestId: 'spec-invalid', name: 'x'.repeat(101) };
    expect(verdict('createRoom', body)).toBe(false);

    alice.send(JSON.stringify(body));
    const answer = await alice.waitFor((f) => f.requestId === 'spec-invalid');

    expect(answer).toMatchObject({ type: 'error', code: 'BAD_REQUEST', action: 'createRoom' });
    const { rooms } = await alice.ok<{ rooms: Array<{ name: string }> }>('listRooms');
    expect(rooms.map((room) => room.name)).not.toContain('x'.repeat(101));
  });
});
