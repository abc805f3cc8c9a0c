import type { ValidateFunction } from 'ajv';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { HTTP_ROUTES, type HttpRouteName } from '../../lambdas/domain/http-protocol';
import { serveHttp, type ApiKeyEdge, type HttpRouteHandlers } from '../../lambdas/shared/http-action';
import { FakeRateLimiter } from '../support/fakes/chat';
import { invalidVariants, readSpec, requiredOnly, specAjv } from '../support/spec-cases';

/**
 * The HTTP API against its published OpenAPI document: every case comes from
 * docs/openapi.json alone (each operation's example request, its required
 * parts only; each parameter over its bounds or off its pattern, each body
 * field removed, of the wrong type or over its bounds, a body that is no
 * object, no body, another content type), ajv confirms the document's
 * verdict, and the real HTTP edge (the real route table, fake route
 * handlers) must agree: spec-valid is never answered 400 or 415 and reaches
 * its handler; spec-invalid gets 400 VALIDATION (415 for a body that is not
 * JSON) and runs nothing.
 */

type Json = Record<string, unknown>;
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: Json;
  readonly example?: string;
}
interface Operation {
  readonly operationId: string;
  readonly security: ReadonlyArray<Record<string, string[]>>;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { content: Record<string, { schema: Json; example?: unknown }> };
}
interface Request {
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  readonly body?: string;
  readonly contentType?: string;
}
interface Case {
  readonly name: string;
  readonly request: Request;
  /** What ajv says of the part the case changed. */
  readonly specValid: () => boolean;
}

const spec = readSpec('docs/openapi.json');
const ajv = specAjv();
const compiled = new Map<Json, ValidateFunction>();
const accepts = (schema: Json, value: unknown): boolean => {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value);
};

/** The operations the HTTP edge serves: the route table's (the Specs function serves the documents' own). */
const operations = Object.entries(spec['paths'] as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, operation]) => Object.hasOwn(HTTP_ROUTES, operation.operationId))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

const handlers = Object.fromEntries(
  Object.keys(HTTP_ROUTES).map((name) => [name, vi.fn(async () => ({ status: 200, body: { ok: true } }))]),
) as unknown as Record<HttpRouteName, ReturnType<typeof vi.fn>>;
const calls = (): number => Object.values(handlers).reduce((sum, handler) => sum + handler.mock.calls.length, 0);

const apiKeys: ApiKeyEdge = {
  authenticate: async () => ({ roomId: 'r-7f3a', keyId: 'k1', name: 'ci', scopes: ['read', 'post'], ratePerMinute: 60 }),
  admit: async () => ({ allowed: true, limit: 60, remaining: 59, resetSeconds: 60 }),
};
const options = {
  verifyUserToken: async () => ({ identity: { userId: 'u-alice', displayName: 'Alice' }, expiresAt: Date.now() / 1000 + 3600 }),
  apiKeys,
  actionLimiter: new FakeRateLimiter(true),
};

function eventOf(method: string, path: string, operation: Operation, request: Request): APIGatewayProxyEventV2 {
  const usesUser = operation.security.some((scheme) => 'userToken' in scheme);
  const rawPath = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(request.params[name] ?? ''));
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath,
    rawQueryString: new URLSearchParams(request.query).toString(),
    headers: {
      authorization: usesUser ? 'Bearer eyJ.user.token' : 'Bearer prk_contract_key',
      ...(request.contentType !== undefined ? { 'content-type': request.contentType } : {}),
    },
    ...(Object.keys(request.query).length > 0 ? { queryStringParameters: request.query } : {}),
    ...(Object.keys(request.params).length > 0 ? { pathParameters: request.params } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'contract' },
      requestId: 'req',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '07/Dec/2026:00:00:00 +0000',
      timeEpoch: Date.UTC(2026, 11, 7),
    },
  } as APIGatewayProxyEventV2;
}

/** The example request of an operation, from its parameters' and body's examples. */
function exampleOf(operation: Operation): Request {
  const parameters = operation.parameters ?? [];
  const pick = (where: 'path' | 'query') =>
    Object.fromEntries(parameters.filter((p) => p.in === where && p.example !== undefined).map((p) => [p.name, p.example!]));
  const json = operation.requestBody?.content['application/json'];
  return {
    params: pick('path'),
    query: pick('query'),
    ...(json !== undefined ? { body: JSON.stringify(json.example), contentType: 'application/json' } : {}),
  };
}

function validCases(operation: Operation): Case[] {
  const example = exampleOf(operation);
  const parameters = operation.parameters ?? [];
  const json = operation.requestBody?.content['application/json'];
  const allValid = (request: Request) => () =>
    parameters.every((p) => {
      const value = (p.in === 'path' ? request.params : request.query)[p.name];
      return value === undefined ? !p.required : accepts(p.schema, value);
    }) && (json === undefined || accepts(json.schema, JSON.parse(request.body ?? 'null')));
  const requiredQuery = Object.fromEntries(
    Object.entries(example.query).filter(([name]) => parameters.some((p) => p.in === 'query' && p.name === name && p.required)),
  );
  const minimal: Request = {
    ...example,
    query: requiredQuery,
    ...(json !== undefined ? { body: JSON.stringify(requiredOnly(json.schema, json.example)) } : {}),
  };
  return [
    { name: 'its example', request: example, specValid: allValid(example) },
    { name: 'its example, required parts only', request: minimal, specValid: allValid(minimal) },
  ];
}

function invalidCases(operation: Operation): Case[] {
  const example = exampleOf(operation);
  const cases: Case[] = [];
  for (const parameter of operation.parameters ?? []) {
    const where = parameter.in === 'path' ? 'params' : 'query';
    const withValue = (value: string): Request => ({ ...example, [where]: { ...example[where], [parameter.name]: value } });
    const maxLength = parameter.schema['maxLength'];
    if (typeof maxLength === 'number') {
      const value = '1'.repeat(maxLength + 1);
      cases.push({ name: `${parameter.name} over its maxLength`, request: withValue(value), specValid: () => accepts(parameter.schema, value) });
    }
    if (typeof parameter.schema['pattern'] === 'string') {
      cases.push({ name: `${parameter.name} off its pattern`, request: withValue('~'), specValid: () => accepts(parameter.schema, '~') });
    }
    if (parameter.required && parameter.in === 'query') {
      const { [parameter.name]: _removed, ...query } = example.query;
      cases.push({ name: `without required ${parameter.name}`, request: { ...example, query }, specValid: () => false });
    }
  }
  const json = operation.requestBody?.content['application/json'];
  if (json !== undefined) {
    for (const variant of invalidVariants(json.schema, json.example as Json)) {
      cases.push({
        name: `body ${variant.name}`,
        request: { ...example, body: JSON.stringify(variant.body) },
        specValid: () => accepts(json.schema, variant.body),
      });
    }
    cases.push({ name: 'a body that is no object', request: { ...example, body: '[1]' }, specValid: () => accepts(json.schema, [1]) });
    const { body: _body, contentType: _type, ...bodiless } = example;
    cases.push({ name: 'no body', request: bodiless, specValid: () => false });
  }
  return cases;
}

const send = (method: string, path: string, operation: Operation, request: Request) =>
  serveHttp(handlers as HttpRouteHandlers, eventOf(method, path, operation, request), options);

describe('the OpenAPI document', () => {
  it('specifies every route of the edge', () => {
    expect(operations.map(({ operation }) => operation.operationId).sort()).toEqual(Object.keys(HTTP_ROUTES).sort());
  });
});

describe.each(operations)('$method $path', ({ method, path, operation }) => {
  const handler = () => handlers[operation.operationId as HttpRouteName];

  it.each(validCases(operation))('accepts a spec-valid request: $name', async ({ request, specValid }) => {
    expect(specValid()).toBe(true);
    const before = handler().mock.calls.length;

    const result = await send(method, path, operation, request);

    expect([400, 415]).not.toContain(result.statusCode);
    expect(handler().mock.calls.length).toBe(before + 1);
  });

  it.each(invalidCases(operation))('refuses a spec-invalid request: $name', async ({ request, specValid }) => {
    expect(specValid()).toBe(false);
    const before = calls();

    const result = await send(method, path, operation, request);

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body))).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(calls()).toBe(before);
  });

  if (operation.requestBody !== undefined) {
    it('answers 415 to a body the document does not list (text/plain), and runs nothing', async () => {
      expect(Object.keys(operation.requestBody!.content)).toEqual(['application/json']);
      const before = calls();

      const result = await send(method, path, operation, { ...exampleOf(operation), contentType: 'text/plain' });

      expect(result.statusCode).toBe(415);
      expect(calls()).toBe(before);
    });
  }
});
