import { Duration, Stack } from 'aws-cdk-lib';
import type { IWebSocketApi, IWebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  PeriodOverride,
  Stats,
  type Alarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { notifyingAlarm } from './alarm-topic';
import { DEFAULT_SERVICE_NAME, METRICS_NAMESPACE, type ParleyFunction } from './parley-function';
import { StreamConsumer } from './stream-consumer';

/** An agent's first words should reach the room within this time. */
export const AGENT_FIRST_REPLY_TARGET = Duration.seconds(2);

/** Failed posts (not 410 Gone) in five minutes that page: a few are noise, a steady stream is not. */
export const POSTS_FAILED_THRESHOLD = 10;

/** API Gateway integration errors in five minutes that page. */
export const INTEGRATION_ERRORS_THRESHOLD = 5;

/** The dashboard's widget titles, in order (the infrastructure tests check them). */
export const DASHBOARD_WIDGETS = {
  alarms: 'Alarms',
  messages: 'Messages sent, delivered and rejected',
  rejections: 'Messages rejected, by reason',
  deliveries: 'Deliveries per message',
  peopleModeration: 'Moderation of people’s messages, by decision',
  agentModeration: 'Moderation of agents’ replies, by decision',
  agentLatency: 'Agent first-delta and full-reply latency (ms)',
  agentTokens: 'Agent tokens and exhausted budgets',
  agentJobs: 'Agent jobs, by outcome',
  modelCircuits: 'Model circuits (0 closed, 1 half open, 2 open), by model',
  posts: 'Failed posts to connections',
  errors: 'Function errors',
  throttles: 'Function throttles',
  api: 'WebSocket API: connections, messages, errors',
  queueDepths: 'Queue depths (visible messages)',
  queueAges: 'Queue ages (oldest message, s)',
} as const;

export interface OperationsProps {
  /** The functions, by row id (FunctionSpec.id). */
  readonly functions: ReadonlyMap<string, ParleyFunction>;
  readonly api: IWebSocketApi;
  readonly stage: IWebSocketStage;
  /** The HTTP API for machine clients and its stage (docs/http-api.md), when the stack has one. */
  readonly httpApi?: { readonly apiId: string; readonly stageName: string };
  /** The topic every alarm notifies. */
  readonly alarmTopic: ITopic;
  /** Queues to watch on the dashboard (their own alarms live next to them, in the stateful stack). */
  readonly queues: Readonly<Record<string, IQueue>>;
  readonly dashboardName: string;
}

const FIVE_MINUTES = Duration.minutes(5);
/** 5xx answers of the HTTP API in five minutes that page: one is a retried blip, five a failing function. */
export const HTTP_API_5XX_THRESHOLD = 5;

/** A metric Parley's functions emit through Powertools: namespace Parley, dimension service, and any bounded extra ones. */
const parleyMetric = (metricName: string, statistic: string, extraDimensions: Record<string, string> = {}): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: DEFAULT_SERVICE_NAME, ...extraDimensions },
    statistic,
    period: FIVE_MINUTES,
  });

/** Every series of a Powertools metric split by one bounded dimension, whichever values occur. */
const byDimension = (metricName: string, dimension: string, fixed: Record<string, string> = {}): MathExpression => {
  const keys = ['service', dimension, ...Object.keys(fixed)].join(',');
  const filters = [`MetricName="${metricName}"`, ...Object.entries(fixed).map(([k, v]) => `${k}="${v}"`)].join(' ');
  return new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${keys}} ${filters}', 'Sum', 300)`,
    usingMetrics: {},
    // A dynamic label: each series is named after its value of the dimension.
    label: `\${PROP('Dim.${dimension}')}`,
    period: FIVE_MINUTES,
  });
};

/**
 * What operators watch and what pages them, for the realtime stack: an
 * alarm on each function's errors and throttles, on the WebSocket API's
 * integration and execution errors, on failed posts, on agents' first reply
 * slower than two seconds, on exhausted token budgets, on a model's circuit
 * opening and on archive batches
 * sent to the failed-batches bucket, all notifying the alarm topic; and a
 * dashboard of messages, deliveries, moderation, agents, errors and queues.
 * The queues' own alarms live next to the queues (stateful stack).
 * docs/operations.md says what each alarm means and what to do.
 */
export class Operations extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const topic = props.alarmTopic;
    const alarm = (alarmId: string, alarmProps: Omit<Parameters<typeof notifyingAlarm>[2], 'topic'>): Alarm => {
      const created = notifyingAlarm(this, alarmId, { ...alarmProps, topic });
      this.alarms.push(created);
      return created;
    };

    for (const [fnId, fn] of props.functions) {
      alarm(`${fnId}Errors`, {
        metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        description: `The ${fnId} function failed (an uncaught error or a timeout).`,
      });
      alarm(`${fnId}Throttles`, {
        metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        description: `Lambda throttled the ${fnId} function (account or reserved concurrency reached).`,
      });
    }

    const apiMetric = (metricName: string, statistic: string = Stats.SUM) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.api.apiId, Stage: props.stage.stageName },
        statistic,
        period: FIVE_MINUTES,
      });
    alarm('ApiIntegrationErrors', {
      metric: apiMetric('IntegrationError'),
      threshold: INTEGRATION_ERRORS_THRESHOLD,
      description: 'The WebSocket API got error responses from its function integrations.',
    });
    alarm('ApiExecutionErrors', {
      metric: apiMetric('ExecutionError'),
      threshold: 1,
      description: 'The WebSocket API failed to call its integrations.',
    });

    if (props.httpApi !== undefined) {
      const { apiId, stageName } = props.httpApi;
      alarm('HttpApiServerErrors', {
        metric: new Metric({
          namespace: 'AWS/ApiGateway',
          metricName: '5xx',
          dimensionsMap: { ApiId: apiId, Stage: stageName },
          statistic: Stats.SUM,
          period: FIVE_MINUTES,
        }),
        threshold: HTTP_API_5XX_THRESHOLD,
        description: 'The HTTP API answered 5xx: its functions failed, timed out or were throttled.',
      });
    }

    alarm('PostsFailed', {
      metric: parleyMetric('PostsFailed', Stats.SUM),
      threshold: POSTS_FAILED_THRESHOLD,
      description:
        'Posts to connections failed (not 410 Gone): the PostToConnection throttle (429), a missing grant (403) or an unreachable endpoint.',
    });
    alarm('AgentFirstReplySlow', {
      metric: parleyMetric('AgentFirstPostLatency', Stats.p(90)),
      threshold: AGENT_FIRST_REPLY_TARGET.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      description: 'For ten minutes, one agent reply in ten took more than 2 s to post its first words.',
    });
    alarm('AgentBudgetsExhausted', {
      metric: parleyMetric('AgentJob_overBudget', Stats.SUM).with({ period: Duration.hours(1) }),
      threshold: 1,
      description: 'An agent refused to answer because its daily token budget in a room is spent.',
    });
    alarm('ModelCircuitOpened', {
      metric: parleyMetric('ModelCircuitOpened', Stats.SUM),
      threshold: 1,
      description:
        'A model failed (throttling, service errors, broken streams) often enough that its circuit opened: its agents answer with the unavailable notice until a probe succeeds.',
    });

    // The archive consumer's failures go to a bucket, which has no queue depth to watch.
    const bucketConsumers = Stack.of(this)
      .node.findAll()
      .filter((c): c is StreamConsumer => c instanceof StreamConsumer && c.failsToBucket);
    for (const consumer of bucketConsumers) {
      alarm(`${consumer.functionId}FailedBatches`, {
        metric: consumer.metricSentToFailureDestination(),
        threshold: 1,
        description: `The ${consumer.functionId} stream consumer gave up on records and wrote them to its failed-batches bucket; replay them.`,
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      periodOverride: PeriodOverride.AUTO,
    });
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const functions = [...props.functions.entries()];
    const queues = Object.entries(props.queues);
    const widgets: IWidget[] = [
      new AlarmStatusWidget({ title: DASHBOARD_WIDGETS.alarms, alarms: this.alarms, width: 24, height: 4 }),
      graph(DASHBOARD_WIDGETS.messages, [
        parleyMetric('MessagesSent', Stats.SUM).with({ label: 'sent' }),
        parleyMetric('MessageDeliveries', Stats.SUM).with({ label: 'delivered (posts)' }),
        parleyMetric('RequestRejected', Stats.SUM).with({ label: 'requests rejected (all actions)' }),
      ]),
      graph(DASHBOARD_WIDGETS.rejections, [byDimension('MessagesRejected', 'reason')]),
      graph(DASHBOARD_WIDGETS.deliveries, [
        parleyMetric('MessageDeliveries', Stats.AVERAGE).with({ label: 'delivered per message' }),
        parleyMetric('MessageRecipients', Stats.AVERAGE).with({ label: 'recipients per message' }),
        parleyMetric('StaleConnectionsRemoved', Stats.SUM).with({ label: 'gone connections removed' }),
      ]),
      graph(DASHBOARD_WIDGETS.peopleModeration, [byDimension('MessagesModerated', 'decision', { sender: 'person' })]),
      graph(DASHBOARD_WIDGETS.agentModeration, [byDimension('MessagesModerated', 'decision', { sender: 'agent' })]),
      graph(
        DASHBOARD_WIDGETS.agentLatency,
        [
          parleyMetric('AgentFirstPostLatency', Stats.p(50)).with({ label: 'first delta p50' }),
          parleyMetric('AgentFirstPostLatency', Stats.p(90)).with({ label: 'first delta p90' }),
          parleyMetric('AgentReplyLatency', Stats.p(50)).with({ label: 'full reply p50' }),
          parleyMetric('AgentReplyLatency', Stats.p(90)).with({ label: 'full reply p90' }),
        ],
        { leftAnnotations: [{ value: AGENT_FIRST_REPLY_TARGET.toMilliseconds(), label: 'first-delta target' }] },
      ),
      graph(
        DASHBOARD_WIDGETS.agentTokens,
        [
          parleyMetric('AgentInputTokens', Stats.SUM).with({ label: 'input tokens' }),
          parleyMetric('AgentOutputTokens', Stats.SUM).with({ label: 'output tokens' }),
        ],
        { right: [parleyMetric('AgentJob_overBudget', Stats.SUM).with({ label: 'over budget' })] },
      ),
      graph(
        DASHBOARD_WIDGETS.agentJobs,
        ['replied', 'incomplete', 'empty', 'skipped', 'overBudget', 'unavailable', 'circuitOpen'].map((kind) =>
          parleyMetric(`AgentJob_${kind}`, Stats.SUM).with({ label: kind }),
        ),
      ),
      // The gauge is written on each change: its maximum shows the worst state a model was in.
      graph(DASHBOARD_WIDGETS.modelCircuits, [
        new MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},service,modelId} MetricName="ModelCircuitState"', 'Maximum', 300)`,
          usingMetrics: {},
          label: `\${PROP('Dim.modelId')}`,
          period: FIVE_MINUTES,
        }),
      ]),
      graph(DASHBOARD_WIDGETS.posts, [parleyMetric('PostsFailed', Stats.SUM).with({ label: 'failed posts' })], {
        leftAnnotations: [{ value: POSTS_FAILED_THRESHOLD, label: 'alarm' }],
      }),
      graph(
        DASHBOARD_WIDGETS.errors,
        functions.map(([fnId, fn]) => fn.function.metricErrors({ period: FIVE_MINUTES, label: fnId })),
      ),
      graph(
        DASHBOARD_WIDGETS.throttles,
        functions.map(([fnId, fn]) => fn.function.metricThrottles({ period: FIVE_MINUTES, label: fnId })),
      ),
      graph(
        DASHBOARD_WIDGETS.api,
        [apiMetric('ConnectCount').with({ label: 'connects' }), apiMetric('MessageCount').with({ label: 'messages' })],
        {
          right: [
            apiMetric('ClientError').with({ label: 'client errors' }),
            apiMetric('IntegrationError').with({ label: 'integration errors' }),
            apiMetric('ExecutionError').with({ label: 'execution errors' }),
          ],
        },
      ),
      graph(
        DASHBOARD_WIDGETS.queueDepths,
        queues.map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM, label: name }),
        ),
      ),
      graph(
        DASHBOARD_WIDGETS.queueAges,
        queues.map(([name, queue]) =>
          queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM, label: name }),
        ),
      ),
    ];
    // The alarms take a row; the graphs go two by two.
    const [alarmWidget, ...graphs] = widgets;
    this.dashboard.addWidgets(alarmWidget!);
    for (let i = 0; i < graphs.length; i += 2) this.dashboard.addWidgets(...graphs.slice(i, i + 2));
  }
}
