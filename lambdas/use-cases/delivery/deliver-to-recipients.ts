import { settleWithConcurrency } from '../../domain/concurrency';
import { goneRemovalCutoff, MAX_REPORTED_FAILURES, type DeliveryReport, type PostFailure } from '../../domain/delivery';
import type { Clock, ConnectionGateway, ConnectionRepository } from '../../domain/ports';
import type { Frame } from '../../domain/protocol';
import type { RoomConnection } from '../../domain/types';

export interface DeliverToRecipientsDeps {
  /** Where a connection found gone is removed. */
  readonly connections: Pick<ConnectionRepository, 'removeGoneConnection'>;
  readonly gateway: ConnectionGateway;
  /** Posts in flight at once; API Gateway's post throttle is account-wide. */
  readonly concurrency?: number;
  /** What time it is, to tell a connection still in its $connect (the system clock when absent). */
  readonly clock?: Clock;
}

/**
 * A refused post as the report keeps it: the error's name and, for an AWS SDK
 * error, the HTTP status it carries in `$metadata`. Never the message, which
 * can quote the request.
 */
const postFailure = (connectionId: string, error: unknown): PostFailure => {
  const { name, $metadata } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = $metadata?.httpStatusCode;
  return {
    connectionId,
    ...(typeof status === 'number' ? { status } : {}),
    error: typeof name === 'string' && name.length > 0 ? name : 'Unknown',
  };
};

/**
 * Pushes one frame to each of the given connections, with at most
 * `concurrency` posts in flight. A connection that is gone (410) is counted
 * as `gone` and removed, unless it opened within CONNECT_WINDOW_MS (its
 * $connect may still be running, and API Gateway refuses posts until then); any other refusal is counted as `failed` and, for
 * the first MAX_REPORTED_FAILURES, reported with its reason. One failure
 * never stops the other posts, and nothing is thrown for it: the caller
 * decides how to report it.
 *
 * @example
 * const report = await deliverToRecipients(deps, moderatorsOnline, { type: 'message', roomId, message });
 * if (report.failed > 0) reportDelivery(report, { roomId });
 */
export async function deliverToRecipients(
  deps: DeliverToRecipientsDeps,
  recipients: readonly Pick<RoomConnection, 'connectionId'>[],
  frame: Frame,
): Promise<DeliveryReport> {
  const payload = JSON.stringify(frame);
  const outcomes = await settleWithConcurrency(recipients, deps.concurrency ?? 64, async (r) => {
    const outcome = await deps.gateway.post(r.connectionId, payload);
    if (outcome === 'gone') await deps.connections.removeGoneConnection(r.connectionId, goneRemovalCutoff(deps.clock?.now() ?? Date.now()));
    return outcome;
  });
  let delivered = 0;
  let gone = 0;
  let failed = 0;
  const failures: PostFailure[] = [];
  outcomes.forEach((o, index) => {
    if (o.status === 'fulfilled') {
      if (o.value === 'gone') gone += 1;
      else delivered += 1;
      return;
    }
    failed += 1;
    if (failures.length < MAX_REPORTED_FAILURES) failures.push(postFailure(recipients[index]!.connectionId, o.reason));
  });
  return { recipients: recipients.length, delivered, gone, failed, failures };
}
