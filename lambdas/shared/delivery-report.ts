import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryReport } from '../domain/delivery';
import { ENV, optionalEnv } from '../wiring/env';
import { logger, metrics } from './observability';

/**
 * The host of the function's management endpoint (`WS_MANAGEMENT_ENDPOINT`),
 * which tells which API and stage the failed posts went to; undefined when
 * the function has none or it is not a URL.
 */
function managementEndpointHost(): string | undefined {
  const endpoint = optionalEnv(ENV.managementEndpoint);
  if (endpoint === undefined) return undefined;
  try {
    return new URL(endpoint).host;
  } catch {
    return undefined;
  }
}

/**
 * Logs and counts the failed posts of a delivery: one WARN `posts failed`
 * with the reported failures (connection id, HTTP status, error name; never
 * the frame), the management endpoint's host, and the `PostsFailed` metric,
 * without room or user dimensions.
 * Gone connections are expected and removed, so they are not failures.
 * Every function that posts calls this with its delivery reports; when every
 * post fails, look at the function's management endpoint and its
 * `execute-api:ManageConnections` grant.
 */
export function reportDelivery(report: DeliveryReport | undefined, fields: Readonly<Record<string, unknown>> = {}): void {
  if (report === undefined || report.failed === 0) return;
  metrics.addMetric('PostsFailed', MetricUnit.Count, report.failed);
  const endpointHost = managementEndpointHost();
  logger.warn('posts failed', {
    ...fields,
    ...(endpointHost === undefined ? {} : { endpointHost }),
    recipients: report.recipients,
    delivered: report.delivered,
    gone: report.gone,
    failed: report.failed,
    failures: report.failures,
  });
}

/**
 * An action's result without its delivery report, which is reported (see
 * reportDelivery): what the caller gets back is unchanged.
 */
export async function withDeliveryReported<R extends { readonly delivery?: DeliveryReport }>(
  result: Promise<R>,
  fields: Readonly<Record<string, unknown>> = {},
): Promise<Omit<R, 'delivery'>> {
  const { delivery, ...rest } = await result;
  reportDelivery(delivery, fields);
  return rest;
}
