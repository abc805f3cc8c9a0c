import { SPEC_ROUTES } from '../lambdas/contracts/documents';
import type { FunctionSpec } from './function-spec';

/**
 * The function that serves the published specifications (docs/contracts.md)
 * on the HTTP API. It bundles the documents and touches nothing else: no
 * table, no key, no environment of its own.
 */
export const SPEC_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Specs',
    handlerFile: 'specs',
    description: 'HTTP API: the OpenAPI and AsyncAPI documents, public and cacheable',
    routes: [],
    httpRoutes: Object.values(SPEC_ROUTES).map(({ method, path }) => ({ method, path })),
    bind: () => {},
  },
];
