import type * as z from 'zod/mini';
import type { HTTP_ROUTES, HttpRouteName } from '../domain/http-protocol';

type Route<N extends HttpRouteName> = (typeof HTTP_ROUTES)[N];
type InputOf<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodMiniType } ? z.input<S> : never;

/** A valid request of a route, as a client sends it: path parameters, query strings and body. */
export type HttpRouteExample<N extends HttpRouteName> = {
  readonly params?: InputOf<Route<N>, 'params'>;
  readonly query?: InputOf<Route<N>, 'query'>;
  readonly body?: InputOf<Route<N>, 'body'>;
};

/**
 * A valid request of each HTTP route, shown in the OpenAPI document and
 * sent by the contract tests (test/contract/), which also derive their
 * invalid requests from it. Typed against the route schemas; a route
 * without an example fails the contract tests, not the build, so routes
 * can be added before their example.
 */
export const HTTP_EXAMPLES: { readonly [N in HttpRouteName]?: HttpRouteExample<N> } = {
  listRooms: { query: { cursor: 'c1', limit: '20' } },
  postMessage: { params: { roomId: 'r-design' }, body: { text: 'Build 512 is green.', clientMessageId: 'ci-512' } },
  getMessages: { params: { roomId: 'r-design' }, query: { cursor: '01J8Z3K4M5N6P7Q8R9S0T1V2W3', limit: '50', direction: 'backward' } },
  createApiKey: { params: { roomId: 'r-design' }, body: { name: 'CI bot', scopes: ['read', 'post'], ratePerMinute: 30, dailyQuota: 5000 } },
  listApiKeys: { params: { roomId: 'r-design' } },
  issueGuestToken: { params: { roomId: 'r-lobby' }, body: { displayName: 'Ada' } },
  revokeApiKey: { params: { roomId: 'r-design', keyId: 'k-01J8Z3K4M5' } },
  createWebhook: {
    params: { roomId: 'r-design' },
    body: { url: 'https://hooks.example.com/parley', events: ['message.posted', 'member.joined'], description: 'Team bot' },
  },
  listWebhooks: { params: { roomId: 'r-design' } },
  deleteWebhook: { params: { roomId: 'r-design', webhookId: '01J8Z3K4M5N6P7Q8R9S0T1V2W3' } },
  rotateWebhookSecret: { params: { roomId: 'r-design', webhookId: '01J8Z3K4M5N6P7Q8R9S0T1V2W3' } },
  listWebhookDeliveries: { params: { roomId: 'r-design', webhookId: '01J8Z3K4M5N6P7Q8R9S0T1V2W3' }, query: { cursor: 'c1', limit: '20' } },
};
