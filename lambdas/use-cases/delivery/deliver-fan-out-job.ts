import type { DeliveryReport } from '../../domain/delivery';
import { isRetryablePostError, retryJobOf, type FanOutJob, type FanOutQueue } from '../../domain/fan-out';
import type { ConnectionGateway, ConnectionRepository } from '../../domain/ports';
import { deliverToRecipients } from './deliver-to-recipients';

export interface DeliverFanOutJobDeps {
  /** Where a connection found gone is removed. */
  readonly connections: Pick<ConnectionRepository, 'removeGoneConnection'>;
  readonly gateway: ConnectionGateway;
  /** Where the retry of the failed connections goes. */
  readonly queue: FanOutQueue;
  /** Posts in flight at once. */
  readonly concurrency?: number;
}

export interface FanOutJobResult {
  readonly report: DeliveryReport;
  /** Connections enqueued for another attempt (their failures are in the report too). */
  readonly retried: number;
  /** Connections whose post failed for good: a refusal that repeats, or the last attempt. */
  readonly abandoned: number;
}

/**
 * Posts a fan-out job's frame to each of its connections (gone ones are
 * removed, as deliverToRecipients does) and enqueues one retry job with
 * only the connections whose post failed for a reason that may pass
 * (isRetryablePostError), so no connection that got the frame gets it
 * again. After FAN_OUT_MAX_ATTEMPTS, or for a refusal that repeats, the
 * failure is only reported: the message stays in history for catch-up.
 *
 * Throws when the retry cannot be enqueued, so that the queue delivers the
 * job again: its connections that had the frame then get it a second time,
 * which is better than the others never getting it.
 */
export async function deliverFanOutJob(deps: DeliverFanOutJobDeps, job: FanOutJob): Promise<FanOutJobResult> {
  const retryable: string[] = [];
  let abandoned = 0;
  const gateway: ConnectionGateway = {
    post: async (connectionId, payload) => {
      try {
        return await deps.gateway.post(connectionId, payload);
      } catch (error) {
        if (isRetryablePostError(error)) retryable.push(connectionId);
        else abandoned += 1;
        throw error;
      }
    },
  };
  const report = await deliverToRecipients(
    { connections: deps.connections, gateway, ...(deps.concurrency === undefined ? {} : { concurrency: deps.concurrency }) },
    job.connectionIds.map((connectionId) => ({ connectionId })),
    JSON.parse(job.frame),
  );
  const retry = retryJobOf(job, retryable);
  if (retry !== undefined) await deps.queue.enqueue([retry]);
  return { report, retried: retry?.connectionIds.length ?? 0, abandoned: abandoned + (retry === undefined ? retryable.length : 0) };
}
