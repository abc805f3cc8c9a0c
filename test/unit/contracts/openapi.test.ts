import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { FIELD_DOCS } from '../../../lambdas/contracts/field-docs';
import { buildOpenApi, type HttpRouteContract } from '../../../lambdas/contracts/openapi';
import { refsOf, resolvePointer, specAjv } from '../../support/spec-cases';

type Json = Record<string, unknown>;

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const roomParams = z.object({ roomId: z.string().check(z.minLength(1), z.maxLength(128)) });
const message = z.object({ messageId: z.string(), text: z.string() });

const routes: Record<string, HttpRouteContract> = {
  listMessages: {
    method: 'GET',
    path: '/v1/rooms/{roomId}/messages',
    summary: "A page of a room's messages.",
    auth: ['user', 'key'],
    scopes: ['read'],
    params: roomParams,
    query: z.object({ cursor: z.optional(z.string()), limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 50) }),
    responses: { 200: z.object({ items: z.array(message), nextCursor: z.optional(z.string()) }) },
    example: { params: { roomId: 'r1' }, query: { limit: '10' } },
  },
  postMessage: {
    method: 'POST',
    path: '/v1/rooms/{roomId}/messages',
    summary: 'Posts a message.',
    auth: ['key'],
    scopes: ['post'],
    params: roomParams,
    body: z.object({ text: z.string().check(z.minLength(1)), clientMessageId: z.optional(z.string()) }),
    responses: { 201: message },
    example: { params: { roomId: 'r1' }, body: { text: 'hello' } },
  },
  getOpenApi: { method: 'GET', path: '/v1/openapi.json', summary: 'This document.', auth: [], responses: { 200: z.object({}) } },
};

describe('buildOpenApi', () => {
  const document = buildOpenApi(routes, errorSchema);
  const paths = document['paths'] as Record<string, Record<string, Json>>;

  it('is an OpenAPI 3.1 document in the JSON Schema 2020-12 dialect', () => {
    expect(document['openapi']).toBe('3.1.0');
    expect(document['jsonSchemaDialect']).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('has each route once, under its path and method, named by its name in the table', () => {
    const operations = Object.entries(paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => `${String(operation['operationId'])}: ${method} ${path}`),
    );

    expect(operations.sort()).toEqual([
      'getOpenApi: get /v1/openapi.json',
      'listMessages: get /v1/rooms/{roomId}/messages',
      'postMessage: post /v1/rooms/{roomId}/messages',
    ]);
  });

  it('refuses a method and path declared twice', () => {
    expect(() => buildOpenApi({ one: routes['listMessages']!, two: routes['listMessages']! }, errorSchema)).toThrow(
      'declared twice',
    );
  });

  it('turns path and query schemas into parameters, optional where the schema has a default', () => {
    expect(paths['/v1/rooms/{roomId}/messages']?.['get']?.['parameters']).toEqual([
      {
        name: 'roomId',
        in: 'path',
        required: true,
        description: FIELD_DOCS['roomId'],
        schema: { type: 'string', minLength: 1, maxLength: 128 },
        example: 'r1',
      },
      { name: 'cursor', in: 'query', required: false, description: FIELD_DOCS['cursor'], schema: { type: 'string' } },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: FIELD_DOCS['limit'],
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
        example: '10',
      },
    ]);
  });

  it('describes the body of a route that takes one, and the error answers the edge gives it', () => {
    const post = paths['/v1/rooms/{roomId}/messages']?.['post'] as Json;

    expect(post['requestBody']).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { required: ['text'] }, example: { text: 'hello' } } },
    });
    expect(Object.keys(post['responses'] as Json).sort()).toEqual(['201', '400', '401', '403', '404', '413', '415', '429']);
  });

  it('declares the bearer user token and the API key, with the scopes each route needs', () => {
    const schemes = (document['components'] as { securitySchemes: Json }).securitySchemes;

    expect(schemes).toMatchObject({
      userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'http', scheme: 'bearer' },
    });
    expect(paths['/v1/rooms/{roomId}/messages']?.['get']?.['security']).toEqual([{ userToken: [] }, { apiKey: ['read'] }]);
    expect(paths['/v1/openapi.json']?.['get']?.['security']).toEqual([]);
  });

  it('has no $ref that does not resolve, and schemas that compile under JSON Schema 2020-12', () => {
    const ajv = specAjv();
    const refs = refsOf(document);

    expect(refs.filter((ref) => resolvePointer(document, ref) === undefined)).toEqual([]);
    for (const [path, item] of Object.entries(paths)) {
      for (const operation of Object.values(item)) {
        const schemas = [
          ...((operation['parameters'] ?? []) as Array<{ schema: Json }>).map((p) => p.schema),
          ...Object.values((operation['requestBody'] as { content?: Record<string, { schema: Json }> })?.content ?? {}).map((c) => c.schema),
          ...Object.values(operation['responses'] as Record<string, { content?: Record<string, { schema: Json }> }>)
            .flatMap((response) => Object.values(response.content ?? {}))
            .map((c) => c.schema),
        ];
        for (const schema of schemas) {
          const resolved = (schema['$ref'] ? resolvePointer(document, String(schema['$ref'])) : schema) as Json;
          expect(() => ajv.compile(resolved), path).not.toThrow();
        }
      }
    }
  });
});
