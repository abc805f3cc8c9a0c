import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DEFAULT_RETRY_BASE_SECONDS, MAX_RETRY_DELAY_SECONDS } from '../lambdas/domain/integrations/webhooks';
import { WEBHOOKS_ENV } from '../lambdas/wiring/env';
import { WEBHOOK_FUNCTION_TIMEOUT } from './constructs/webhook-queues';
import { bindActionBudget, type FunctionSpec } from './function-spec';
import { bindHttpEdge } from './http-api-functions';

/** Events one dispatcher invocation takes: each costs a Query and a batch send. */
export const WEBHOOK_DISPATCH_BATCH_SIZE = 10;

/** Jobs one deliverer invocation takes: few, since each may wait its receiver's 10 s. */
export const WEBHOOK_DELIVERY_BATCH_SIZE = 5;

/**
 * Rooms' outgoing webhooks (docs/webhooks.md): their management routes on
 * the HTTP API, the dispatcher behind WebhookEvents and the deliverer behind
 * WebhookDeliveries.
 */
export const WEBHOOK_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'WebhooksApi',
    handlerFile: 'webhooks-api',
    description: 'HTTP API: a room owner creates, lists, deletes webhooks, rotates their secrets and reads their delivery log',
    routes: [],
    httpRoutes: [
      { method: 'POST', path: '/v1/rooms/{roomId}/webhooks' },
      { method: 'GET', path: '/v1/rooms/{roomId}/webhooks' },
      { method: 'DELETE', path: '/v1/rooms/{roomId}/webhooks/{webhookId}' },
      { method: 'POST', path: '/v1/rooms/{roomId}/webhooks/{webhookId}/rotate-secret' },
      { method: 'GET', path: '/v1/rooms/{roomId}/webhooks/{webhookId}/deliveries' },
    ],
    bind: (fn, context) => {
      const { data } = context;
      bindHttpEdge(fn, context);
      // Creating, deleting and rotating spend the owner's action budget, as over the socket.
      bindActionBudget(fn, context);
      // GetItem: the caller's membership and the room.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      // Query: the room's webhooks and a webhook's delivery log; PutItem, DeleteItem, UpdateItem: create, delete, rotate.
      fn.bindIntegrationsTable(data.integrationsTable, { actions: ['Query', 'PutItem', 'DeleteItem', 'UpdateItem'] });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
    },
  },
  {
    id: 'DispatchWebhooks',
    handlerFile: 'dispatch-webhooks',
    description: 'Turns each domain event into one delivery job per subscribed webhook of its room',
    routes: [],
    timeout: WEBHOOK_FUNCTION_TIMEOUT,
    bind: (fn, { data }) => {
      // Query: the room's webhooks, never their secrets' use.
      fn.bindIntegrationsTable(data.integrationsTable, { actions: ['Query'] });
      const { deliveries, events } = data.webhookQueues;
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deliveries.queueArn] }));
      // The queue is encrypted with the content key: sending needs a data key (named actions, not grantSendMessages' wildcards).
      deliveries.encryptionMasterKey?.grant(fn.role, 'kms:GenerateDataKey', 'kms:Decrypt');
      fn.setEnvironment({ [WEBHOOKS_ENV.deliveriesQueueUrl]: deliveries.queueUrl });
      fn.function.addEventSource(
        new SqsEventSource(events, { batchSize: WEBHOOK_DISPATCH_BATCH_SIZE, reportBatchItemFailures: true }),
      );
    },
  },
  {
    id: 'DeliverWebhooks',
    handlerFile: 'deliver-webhooks',
    description: 'POSTs each webhook delivery, signed, and logs the attempt; retries with backoff',
    routes: [],
    timeout: WEBHOOK_FUNCTION_TIMEOUT,
    bind: (fn, { data }) => {
      // GetItem: the webhook with its secret; UpdateItem: disabling it on 410; PutItem: the delivery log.
      fn.bindIntegrationsTable(data.integrationsTable, { actions: ['GetItem', 'UpdateItem', 'PutItem'] });
      const { deliveries } = data.webhookQueues;
      // ChangeMessageVisibility: a failed delivery comes back after its backoff.
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:ChangeMessageVisibility'], resources: [deliveries.queueArn] }));
      fn.setEnvironment({
        [WEBHOOKS_ENV.deliveriesQueueUrl]: deliveries.queueUrl,
        [WEBHOOKS_ENV.retryBaseSeconds]: DEFAULT_RETRY_BASE_SECONDS,
        [WEBHOOKS_ENV.retryMaxSeconds]: MAX_RETRY_DELAY_SECONDS,
      });
      fn.function.addEventSource(
        new SqsEventSource(deliveries, { batchSize: WEBHOOK_DELIVERY_BATCH_SIZE, reportBatchItemFailures: true }),
      );
    },
  },
];
