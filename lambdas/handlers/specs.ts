import { createHash } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import asyncapi from '../../docs/asyncapi.json' with { type: 'json' };
import openapi from '../../docs/openapi.json' with { type: 'json' };
import { logger, metrics, traceHandler } from '../shared/observability';

/**
 * Serves the published specifications (docs/contracts.md) to anyone:
 * `GET /v1/openapi.json` and `GET /v1/asyncapi.json`. The function bundles
 * the checked-in documents rather than running the generators at cold
 * start: generating took 1.3–2.7 times a bare handler's init, the bundled
 * JSON no more than the noise of a loaded machine, for about 25 KB more
 * bundle (`npm run bench -- specs`); and a unit test keeps the documents
 * equal to what the generators produce.
 */
const served = (document: unknown) => {
  const body = JSON.stringify(document);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
};

const DOCUMENTS: Readonly<Record<string, { body: string; etag: string }>> = {
  'GET /v1/openapi.json': served(openapi),
  'GET /v1/asyncapi.json': served(asyncapi),
};

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'public, max-age=300',
  'access-control-allow-origin': '*',
};

/** The document of the route, or 304 when the caller's copy is current. */
export function serveSpec(event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 {
  const document = DOCUMENTS[event.routeKey];
  if (document === undefined) {
    logger.warn('no such specification', { routeKey: event.routeKey });
    return { statusCode: 404, headers: HEADERS, body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No such document.' } }) };
  }
  const headers = { ...HEADERS, etag: document.etag };
  if (event.headers['if-none-match'] === document.etag) return { statusCode: 304, headers };
  return { statusCode: 200, headers, body: document.body };
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(traceHandler())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => serveSpec(event));
