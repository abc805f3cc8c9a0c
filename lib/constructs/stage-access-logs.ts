import type { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type IAccessLogSettings, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface StageAccessLogsProps {
  readonly retention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** What this API logs besides the request's id and time and the integration's error and latency. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * An API stage's access logs: a log group of their own (`AccessLogs` in
 * `scope`) and one JSON line per request, never a body or a header. Every
 * line starts with the request's id and time and ends with the integration's
 * error and latency, so the APIs' logs are queried alike.
 */
export function stageAccessLogs(scope: Construct, props: StageAccessLogsProps): IAccessLogSettings {
  const logs = new LogGroup(scope, 'AccessLogs', { retention: props.retention, removalPolicy: props.removalPolicy });
  return {
    destination: new LogGroupLogDestination(logs),
    format: AccessLogFormat.custom(
      JSON.stringify({
        requestId: AccessLogField.contextRequestId(),
        requestTime: AccessLogField.contextRequestTime(),
        ...props.fields,
        integrationError: AccessLogField.contextIntegrationErrorMessage(),
        integrationLatency: AccessLogField.contextIntegrationLatency(),
      }),
    ),
  };
}
