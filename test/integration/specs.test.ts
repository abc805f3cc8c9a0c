import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { readSpec, requiredOnly, specAjv } from '../support/spec-cases';

type Json = Record<string, unknown>;

/**
 * The published specifications through Parley's front doors on the local
 * runtime: requests the AsyncAPI document calls valid are acked over a real
 * WebSocket, and ones it calls invalid are refused with a validation error.
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
