import * as z from 'zod/mini';
import { HTTP_ROUTES, httpErrorSchema, type HttpRouteName } from '../domain/http-protocol';
import { buildAsyncApi } from './asyncapi';
import { HTTP_EXAMPLES } from './http-examples';
import { buildOpenApi, type HttpRouteContract } from './openapi';

/** A specification, as a JSON value any client can read: the body of `GET /v1/<name>`. */
const specBody = (name: string) =>
  z.record(z.string(), z.unknown()).check(z.meta({ description: `The ${name} document.` }));

/**
 * The routes that serve the specifications themselves (lambdas/handlers/specs.ts).
 * They are public, take no input and need no credentials, so the HTTP edge
 * has nothing to check and they are not in its table (HTTP_ROUTES).
 */
export const SPEC_ROUTES = {
  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI document.',
    description: 'Public and cacheable (ETag, max-age 300 s); any origin may read it.',
    auth: [],
    responses: { 200: specBody('OpenAPI 3.1') },
  },
  getAsyncApi: {
    method: 'GET',
    path: '/v1/asyncapi.json',
    summary: 'The AsyncAPI document of the WebSocket API.',
    description: 'Public and cacheable (ETag, max-age 300 s); any origin may read it.',
    auth: [],
    responses: { 200: specBody('AsyncAPI 3.0') },
  },
} as const satisfies Record<string, HttpRouteContract>;

/** Every HTTP route by name: the edge's table with its examples, and the specifications' own. */
function httpRoutes(): Record<string, HttpRouteContract> {
  const routes: Record<string, HttpRouteContract> = {};
  for (const [name, route] of Object.entries(HTTP_ROUTES) as Array<[HttpRouteName, HttpRouteContract]>) {
    const example = HTTP_EXAMPLES[name];
    routes[name] = example === undefined ? route : { ...route, example };
  }
  for (const [name, route] of Object.entries(SPEC_ROUTES)) {
    if (Object.hasOwn(routes, name)) throw new Error(`Route name ${name} is used twice.`);
    routes[name] = route;
  }
  return routes;
}

/** Every published specification, by the path of its checked-in copy. */
export const SPEC_DOCUMENTS = {
  'docs/openapi.json': () => buildOpenApi(httpRoutes(), httpErrorSchema),
  'docs/asyncapi.json': buildAsyncApi,
} as const;
