import { describe, expect, it } from 'vitest';
import { SPEC_DOCUMENTS, SPEC_ROUTES } from '../../../lambdas/contracts/documents';
import { HTTP_EXAMPLES } from '../../../lambdas/contracts/http-examples';
import { HTTP_ROUTES, routeKeyOf } from '../../../lambdas/domain/http-protocol';
import { refsOf, resolvePointer, specAjv } from '../../support/spec-cases';

type Json = Record<string, unknown>;

describe('the OpenAPI document of the HTTP API', () => {
  const document = SPEC_DOCUMENTS['docs/openapi.json']();
  const operations = Object.entries(document['paths'] as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
  );

  it('has every route of the edge and the specifications, each once, named as in its table', () => {
    const expected = [...Object.entries(HTTP_ROUTES), ...Object.entries(SPEC_ROUTES)].map(
      ([name, route]) => `${name}: ${routeKeyOf(route)}`,
    );

    expect(operations.map(({ key, operation }) => `${String(operation['operationId'])}: ${key}`).sort()).toEqual(expected.sort());
  });

  it('has an example request for every route of the edge, which the contract tests derive their cases from', () => {
    expect(Object.keys(HTTP_ROUTES).filter((name) => !Object.hasOwn(HTTP_EXAMPLES, name))).toEqual([]);
  });

  it('has no $ref that does not resolve, and schemas that compile under JSON Schema 2020-12', () => {
    const ajv = specAjv();

    expect(refsOf(document).filter((ref) => resolvePointer(document, ref) === undefined)).toEqual([]);
    for (const schema of Object.values((document['components'] as { schemas: Record<string, Json> }).schemas)) {
      expect(() => ajv.compile(schema)).not.toThrow();
    }
    for (const { key, operation } of operations) {
      const schemas = [
        ...((operation['parameters'] ?? []) as Array<{ schema: Json }>).map((p) => p.schema),
        ...Object.values((operation['requestBody'] as { content?: Record<string, { schema: Json }> })?.content ?? {}).map((c) => c.schema),
        ...Object.values(operation['responses'] as Record<string, { content?: Record<string, { schema: Json }> }>)
          .flatMap((response) => Object.values(response.content ?? {}))
          .map((c) => c.schema)
          .filter((schema) => schema['$ref'] === undefined),
      ];
      for (const schema of schemas) expect(() => ajv.compile(schema), key).not.toThrow();
    }
  });
});
