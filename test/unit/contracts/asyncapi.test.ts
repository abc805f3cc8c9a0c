import { describe, expect, it } from 'vitest';
import { buildAsyncApi, receiveOperationOf } from '../../../lambdas/contracts/asyncapi';
import { frameSchemas, type FrameType } from '../../../lambdas/domain/frame-schemas';
import { requestSchemas } from '../../../lambdas/domain/protocol';
import { refsOf, resolvePointer, specAjv } from '../../support/spec-cases';

type Json = Record<string, unknown>;

describe('buildAsyncApi', () => {
  const document = buildAsyncApi();
  const operations = document['operations'] as Record<string, { action: string; messages: unknown[]; reply?: Json }>;
  const messages = (document['components'] as { messages: Record<string, Json> }).messages;

  it('is an AsyncAPI 3.0 document with one channel', () => {
    expect(document['asyncapi']).toBe('3.0.0');
    expect(Object.keys(document['channels'] as Json)).toEqual(['parley']);
  });

  it('has one send operation per action, answered with an ack or an error frame', () => {
    const sends = Object.entries(operations).filter(([, operation]) => operation.action === 'send');

    expect(sends.map(([name]) => name).sort()).toEqual(Object.keys(requestSchemas).sort());
    for (const [, operation] of sends) {
      expect(operation.reply).toEqual({
        channel: { $ref: '#/channels/parley' },
        messages: [{ $ref: '#/channels/parley/messages/ackFrame' }, { $ref: '#/channels/parley/messages/errorFrame' }],
      });
    }
  });

  it('has one receive operation per frame type', () => {
    const receives = Object.entries(operations).filter(([, operation]) => operation.action === 'receive');

    expect(receives.map(([name]) => name).sort()).toEqual(
      (Object.keys(frameSchemas) as FrameType[]).map(receiveOperationOf).sort(),
    );
  });

  it('names the action in each request and requires it', () => {
    const payload = messages['sendMessage']?.['payload'] as Json;

    expect((payload['properties'] as Json)['action']).toMatchObject({ const: 'sendMessage' });
    expect(payload['required']).toEqual(['action', 'roomId', 'clientMessageId', 'text']);
  });

  it('makes fields with a default optional in requests, and shows the default', () => {
    const payload = messages['createRoom']?.['payload'] as Json;

    expect(payload['required']).not.toContain('visibility');
    expect((payload['properties'] as Json)['visibility']).toMatchObject({ default: 'public', enum: ['public', 'private'] });
  });

  it('gives every message, request or frame, a summary and an example', () => {
    for (const [name, message] of Object.entries(messages)) {
      expect(message['summary'], name).toEqual(expect.any(String));
      expect(message['examples'], name).toHaveLength(1);
    }
  });

  it('declares the token query parameter as the security scheme of every server', () => {
    const schemes = (document['components'] as { securitySchemes: Json }).securitySchemes;

    expect(schemes).toEqual({ token: expect.objectContaining({ type: 'httpApiKey', name: 'token', in: 'query' }) });
    for (const server of Object.values(document['servers'] as Record<string, Json>)) {
      expect(server['security']).toEqual([{ $ref: '#/components/securitySchemes/token' }]);
    }
  });

  it('has no $ref that does not resolve', () => {
    const refs = refsOf(document);

    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => resolvePointer(document, ref) === undefined)).toEqual([]);
  });

  it('embeds payload schemas that compile under JSON Schema 2020-12', () => {
    const ajv = specAjv();

    for (const [name, message] of Object.entries(messages)) {
      expect(() => ajv.compile(message['payload'] as Json), name).not.toThrow();
    }
  });

  it('embeds schemas in the keywords JSON Schema draft-07 shares with 2020-12, so AsyncAPI schema tools read them', () => {
    const keywords = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          keywords.add(key);
          collect(inner);
        }
      }
    };
    for (const message of Object.values(messages)) collect(message['payload']);

    for (const later of ['prefixItems', '$defs', '$dynamicRef', 'unevaluatedProperties', 'dependentSchemas', 'dependentRequired']) {
      expect(keywords.has(later), later).toBe(false);
    }
  });

  it('lists its examples valid under their own schemas', () => {
    const ajv = specAjv();

    for (const [name, message] of Object.entries(messages)) {
      const validate = ajv.compile(message['payload'] as Json);
      for (const example of (message['examples'] ?? []) as Array<{ payload: unknown }>) {
        expect(validate(example.payload), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });
});
