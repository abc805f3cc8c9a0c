import { PermissionError } from '../domain/errors';
import { createHttpHandler, type HttpCaller, type HttpRouteHandlers } from '../shared/http-action';
import { createWebhook } from '../use-cases/integrations/webhooks/create-webhook';
import { deleteWebhook } from '../use-cases/integrations/webhooks/delete-webhook';
import { listWebhookDeliveries } from '../use-cases/integrations/webhooks/list-webhook-deliveries';
import { listWebhooks } from '../use-cases/integrations/webhooks/list-webhooks';
import { rotateWebhookSecret } from '../use-cases/integrations/webhooks/rotate-webhook-secret';
import { actionRateLimiter } from '../wiring/chat';
import { webhookManagementDeps } from '../wiring/webhooks';

const deps = webhookManagementDeps();

/** The routes take users only (HTTP_ROUTES says so, and the edge holds to it); this keeps the type honest. */
const userOf = (caller: HttpCaller) => {
  if (caller.kind !== 'user') throw new PermissionError('Only the room owner, signed in, manages its webhooks.');
  return caller.identity;
};

/** HTTP API: a room's webhooks, managed by its owner (docs/webhooks.md). */
export const webhookRoutes: HttpRouteHandlers = {
  createWebhook: async (caller, { params, body }) => ({
    status: 201,
    body: await createWebhook(deps, userOf(caller), params.roomId, body),
  }),
  listWebhooks: async (caller, { params }) => ({
    status: 200,
    body: { webhooks: await listWebhooks(deps, userOf(caller), params.roomId) },
  }),
  deleteWebhook: async (caller, { params }) => {
    await deleteWebhook(deps, userOf(caller), params.roomId, params.webhookId);
    return { status: 204 };
  },
  rotateWebhookSecret: async (caller, { params }) => ({
    status: 200,
    body: await rotateWebhookSecret(deps, userOf(caller), params.roomId, params.webhookId),
  }),
  listWebhookDeliveries: async (caller, { params, query }) => {
    const page = await listWebhookDeliveries(deps, userOf(caller), params.roomId, params.webhookId, {
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return { status: 200, body: { deliveries: page.items, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) } };
  },
};

export const handler = createHttpHandler(webhookRoutes, { actionLimiter: actionRateLimiter() });
