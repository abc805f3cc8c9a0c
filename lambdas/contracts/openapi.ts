import type * as z from 'zod/mini';
import { FIELD_DOCS } from './field-docs';
import { CONTRACT_VERSION, CONVERSION_GAPS, jsonSchemaOf, type JsonSchema } from './json-schema';

type Schema = z.core.$ZodType;

/**
 * What the OpenAPI generator reads of an HTTP route: the fields of the
 * route table the HTTP edge validates with (lambdas/domain/http-protocol.ts,
 * `HTTP_ROUTES`). Declared here by shape, so the generator takes the table
 * as it is and stays pure.
 */
export interface HttpRouteContract {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Who may call it: a user's ID token, a room's API key; none for a public route. */
  readonly auth: readonly ('user' | 'key')[];
  readonly scopes?: readonly string[];
  readonly params?: Schema;
  readonly query?: Schema;
  readonly body?: Schema;
  readonly responses: { readonly [status: number]: Schema };
  /** A valid request, shown in the document and used by the contract tests. */
  readonly example?: HttpExample;
}

/** A valid request of a route: its path parameters, query and body. */
export interface HttpExample {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** The answers every authenticated route may give besides its own, by status. */
const ERROR_RESPONSES = {
  '400': 'The request does not match this specification (code VALIDATION); nothing changed.',
  '401': 'No credentials, or an unknown, revoked or expired token or key (code UNAUTHENTICATED).',
  '403': 'The credentials do not allow this: another room, a missing scope, or the role (code FORBIDDEN).',
  '404': 'No such room or resource (code NOT_FOUND).',
  '413': 'The body is over the size limit.',
  '415': 'The body is not application/json.',
  '429': 'A rate limit or quota is spent; retry after Retry-After seconds (code RATE_LIMITED).',
} as const;

const STATUS_TEXT: Readonly<Record<string, string>> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No content',
  '304': 'Not modified',
};

interface ObjectSchema {
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
}

function parametersOf(
  schema: Schema | undefined,
  where: 'path' | 'query',
  example: Readonly<Record<string, string>> = {},
): JsonSchema[] {
  if (schema === undefined) return [];
  const object = jsonSchemaOf(schema, 'input') as ObjectSchema;
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description = FIELD_DOCS[name], ...rest } = property as { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
      ...(example[name] !== undefined ? { example: example[name] } : {}),
    };
  });
}

const securityOf = (route: HttpRouteContract) =>
  route.auth.map((kind) => (kind === 'user' ? { userToken: [] } : { apiKey: [...(route.scopes ?? [])] }));

function operationOf(name: string, route: HttpRouteContract): JsonSchema {
  const statuses = Object.keys(route.responses).sort();
  const responses: Record<string, unknown> = Object.fromEntries(
    statuses.map((status) => {
      // A 204 or 304 has no body, so its schema (z.undefined()) has nothing to convert.
      if (status === '204' || status === '304') return [status, { description: STATUS_TEXT[status] ?? 'No content' }];
      const body = jsonSchemaOf(route.responses[Number(status)]!, 'output');
      return [
        status,
        {
          description: String(body['description'] ?? STATUS_TEXT[status] ?? 'Success'),
          content: { 'application/json': { schema: body } },
        },
      ];
    }),
  );
  const errors = route.auth.length === 0 ? (['429'] as const) : (Object.keys(ERROR_RESPONSES) as Array<keyof typeof ERROR_RESPONSES>);
  for (const status of errors) {
    if (status === '413' || status === '415') {
      if (route.body === undefined) continue;
    }
    responses[status] ??= { $ref: `#/components/responses/${status}` };
  }
  const parameters = [
    ...parametersOf(route.params, 'path', route.example?.params),
    ...parametersOf(route.query, 'query', route.example?.query),
  ];
  const bodyExample = route.example?.body === undefined ? {} : { example: route.example.body };
  return {
    operationId: name,
    summary: route.summary,
    ...(route.description !== undefined ? { description: route.description } : {}),
    security: securityOf(route),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body !== undefined
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input'), ...bodyExample } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of Parley's HTTP API, built from the route table
 * the HTTP edge validates with, by name (the operation ids): each route's
 * path and query parameters, body and responses from its zod schemas, its
 * security from who may call it, and the error answers the edge gives.
 * `errorSchema` is the edge's error body. Pure and deterministic, so
 * docs/openapi.json can be compared with it.
 */
export function buildOpenApi(routes: Readonly<Record<string, HttpRouteContract>>, errorSchema: Schema): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, route] of Object.entries(routes)) {
    const method = route.method.toLowerCase();
    const item = (paths[route.path] ??= {});
    if (item[method] !== undefined) throw new Error(`${route.method} ${route.path} is declared twice.`);
    item[method] = operationOf(name, route);
  }
  const errorBody = jsonSchemaOf(errorSchema, 'output');
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Parley HTTP API',
      version: CONTRACT_VERSION,
      description:
        'The HTTP API for machine clients and scripts: rooms, messages and keys. Requests and responses are JSON. ' +
        'Authenticate with a user ID token or a room API key, both as `Authorization: Bearer …`. ' +
        CONVERSION_GAPS,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'The deployed HTTP API (the HttpApiUrl stack output).',
        variables: {
          apiId: { default: 'abc123', description: 'The HTTP API id.' },
          region: { default: 'eu-west-1', description: 'The AWS region.' },
        },
      },
      { url: 'http://127.0.0.1:{port}', description: 'The local runtime (npm start prints its apiUrl).', variables: { port: { default: '3005' } } },
    ],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { Error: errorBody },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          status,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
      securitySchemes: {
        userToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "A user's ID token (Cognito when deployed; `npm run token -- <name>` locally).",
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A room's API key, created by its owner and shown once (prk_…). Its scopes (read, post) are listed per operation.",
        },
      },
    },
  };
}
