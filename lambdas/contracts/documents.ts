import * as z from 'zod/mini';
import { buildAsyncApi } from './asyncapi';
import { buildOpenApi, type HttpRouteContract } from './openapi';

/** A specification, as a JSON value any client can read: the body of `GET /v1/<name>`. */
const specBody = (name: string) =>
  z.record(z.string(), z.unknown()).check(z.meta({ description: `The ${name} document.` }));

/**
 * The routes that serve the specifications themselves (lambdas/handlers/specs.ts):
 * public, cacheable, taking no input, so nothing for the HTTP edge to validate.
 */
export const SPEC_ROUTES: readonly HttpRouteContract[] = [
  {
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI document.',
    description: 'Public and cacheable (ETag, max-age 300 s); any origin may read it.',
    auth: [],
    responses: { 200: specBody('OpenAPI 3.1') },
  },
  {
    method: 'GET',
    path: '/v1/asyncapi.json',
    summary: 'The AsyncAPI document of the WebSocket API.',
    description: 'Public and cacheable (ETag, max-age 300 s); any origin may read it.',
    auth: [],
    responses: { 200: specBody('AsyncAPI 3.0') },
  },
];

/** The error body of the HTTP edge. */
const httpErrorSchema = z.object({
  error: z.object({
    code: z.string().check(z.meta({ description: 'VALIDATION, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, RATE_LIMITED…' })),
    message: z.string(),
    issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});

/** Every published specification, by the path of its checked-in copy. */
export const SPEC_DOCUMENTS = {
  'docs/openapi.json': () => buildOpenApi(SPEC_ROUTES, httpErrorSchema),
  'docs/asyncapi.json': buildAsyncApi,
} as const;
