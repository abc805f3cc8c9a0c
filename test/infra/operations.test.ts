import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_WIDGETS } from '../../lib/constructs/operations';
import { buildParleyApp } from '../../lib/parley-app';
import { synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };
type Resources = Record<string, Resource>;

const ofType = (resources: Resources, type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

/** The alarm topic as the stateful stack names it, and as the realtime stack imports it. */
const isTopicReference = (action: unknown, topicId: string): boolean => {
  const json = JSON.stringify(action);
  return json === JSON.stringify({ Ref: topicId }) || (json.includes('Fn::ImportValue') && json.includes(topicId));
};

/** A dashboard body with its tokens (ARNs, ids, region) replaced by placeholders, parsed. */
const dashboardBody = (body: unknown): { widgets: Array<{ properties: Record<string, any> }> } => {
  if (typeof body === 'string') return JSON.parse(body);
  const [, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
};

describe('Operations', () => {
  let parley: SynthesizedParley;
  let stateful: Resources;
  let realtime: Resources;
  let topicId: string;

  beforeAll(() => {
    parley = synthParley({ alarmEmail: 'oncall@example.com' });
    stateful = parley.stateful.toJSON().Resources;
    realtime = parley.realtime.toJSON().Resources;
    const topics = ofType(stateful, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    topicId = topics[0]![0];
  });

  it('has one alarm topic, encrypted with a rotating key CloudWatch may use, TLS only, with the configured email', () => {
    const [, topic] = ofType(stateful, 'AWS::SNS::Topic')[0]!;
    const keyId = topic.Properties['KmsMasterKeyId']['Fn::GetAtt'][0] as string;
    const key = stateful[keyId]!;

    expect(key.Properties['EnableKeyRotation']).toBe(true);
    expect(key.Properties['KeyPolicy'].Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']),
      }),
    );
    parley.stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
      Topics: [{ Ref: topicId }],
    });
    parley.stateful.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topicId },
    });
  });

  it('subscribes nobody when no alarm email is configured', () => {
    synthParley().stateful.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('gives every alarm of every stack the alarm topic as its alarm and OK action', () => {
    const app = buildParleyApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    const assembly = app.synth();
    const alarms = assembly.stacks.flatMap((stack) =>
      ofType(Template.fromJSON(stack.template).toJSON().Resources, 'AWS::CloudWatch::Alarm').map(
        ([id, alarm]) => [`${stack.stackName}/${id}`, alarm] as const,
      ),
    );
    const topic = ofType(
      Template.fromJSON(assembly.stacks.find((s) => s.stackName.endsWith('-Stateful'))!.template).toJSON().Resources,
      'AWS::SNS::Topic',
    )[0]![0];

    expect(alarms.length).toBeGreaterThan(40);
    for (const [where, alarm] of alarms) {
      const actions = (alarm.Properties['AlarmActions'] ?? []) as unknown[];
      expect(actions.length, `${where} has no alarm action`).toBeGreaterThan(0);
      expect(actions.every((action) => isTopicReference(action, topic)), where).toBe(true);
      expect(alarm.Properties['OKActions'], where).toEqual(actions);
    }
  });

  it('alarms on every dead-letter queue and every stream consumer’s failure queue', () => {
    const queueOfArn = (arn: any): string | undefined => {
      if (arn?.['Fn::GetAtt']?.[1] === 'Arn') return arn['Fn::GetAtt'][0];
      // The realtime stack imports the ARN; the export's value names the queue.
      const exportName = arn?.['Fn::ImportValue'];
      if (typeof exportName !== 'string') return undefined;
      const output = Object.values(parley.stateful.toJSON().Outputs as Record<string, any>).find(
        (o) => o.Export?.Name === exportName,
      );
      return output?.Value?.['Fn::GetAtt']?.[0];
    };
    const deadLetterQueues = ofType(stateful, 'AWS::SQS::Queue')
      .map(([, q]) => q.Properties['RedrivePolicy']?.deadLetterTargetArn)
      .filter((arn) => arn !== undefined)
      .map(queueOfArn);
    const failureQueues = ofType(realtime, 'AWS::Lambda::EventSourceMapping')
      .map(([, m]) => m.Properties['DestinationConfig']?.OnFailure?.Destination)
      .filter((arn) => arn !== undefined)
      .map(queueOfArn)
      .filter((id): id is string => id !== undefined && stateful[id]?.Type === 'AWS::SQS::Queue');
    const watched = new Set(
      ofType(stateful, 'AWS::CloudWatch::Alarm')
        .filter(([, a]) => a.Properties['MetricName'] === 'ApproximateNumberOfMessagesVisible')
        .map(([, a]) => a.Properties['Dimensions'][0].Value['Fn::GetAtt'][0] as string),
    );

    // The agents' jobs, the fan-out jobs, the room purge jobs, the documents' ingestion, the analytics events,
    // webhooks' events and deliveries, and the games' imposter and dialogue jobs.
    expect(deadLetterQueues).toHaveLength(9);
    // Moderation, memory, the agent dispatcher, the audit archiver and the domain events publisher.
    expect(new Set(failureQueues).size).toBe(5);
    for (const queue of [...deadLetterQueues, ...failureQueues]) expect(watched, queue).toContain(queue);
  });

  it('alarms on the archive consumer’s failed batches through its event source mapping’s event counts', () => {
    const archiveFn = parley.functionLogicalId('ArchiveMessages');
    const [mappingId] = ofType(realtime, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties['FunctionName'].Ref === archiveFn,
    )!;

    expect(realtime[mappingId]!.Properties['MetricsConfig']).toEqual({ Metrics: ['EventCount'] });
    parley.realtime.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'OnFailureDestinationDeliveredEventCount',
      Dimensions: [{ Name: 'EventSourceMappingUUID', Value: { Ref: mappingId } }],
      Threshold: 1,
    });
  });

  it('alarms on each function’s errors and throttles', () => {
    const functions = ofType(realtime, 'AWS::Lambda::Function').map(([id]) => id);
    const alarmed = (metricName: string) =>
      new Set(
        ofType(realtime, 'AWS::CloudWatch::Alarm')
          .filter(([, a]) => a.Properties['Namespace'] === 'AWS/Lambda' && a.Properties['MetricName'] === metricName)
          .map(([, a]) => a.Properties['Dimensions'][0].Value.Ref as string),
      );

    expect(functions.length).toBeGreaterThan(10);
    expect([...alarmed('Errors')].sort()).toEqual([...functions].sort());
    expect([...alarmed('Throttles')].sort()).toEqual([...functions].sort());
  });

  it.each([
    ['IntegrationError', 5],
    ['ExecutionError', 1],
  ])('alarms on the WebSocket stage’s %s', (metricName, threshold) => {
    parley.realtime.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: metricName,
      Dimensions: [
        { Name: 'ApiId', Value: { Ref: ofType(realtime, 'AWS::ApiGatewayV2::Api')[0]![0] } },
        { Name: 'Stage', Value: 'prod' },
      ],
      Threshold: threshold,
    });
  });

  it.each([
    ['PostsFailed', 'Sum', 10, 'GreaterThanOrEqualToThreshold'],
    ['AgentFirstPostLatency', undefined, 2000, 'GreaterThanThreshold'],
    ['AgentJob_overBudget', 'Sum', 1, 'GreaterThanOrEqualToThreshold'],
    ['ModelCircuitOpened', 'Sum', 1, 'GreaterThanOrEqualToThreshold'],
  ])('alarms on the functions’ %s metric, by service only', (metricName, statistic, threshold, comparison) => {
    parley.realtime.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Parley',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'parley' }],
      Threshold: threshold,
      ComparisonOperator: comparison,
      ...(statistic === undefined ? { ExtendedStatistic: 'p90' } : { Statistic: statistic }),
    });
  });

  it('has a dashboard with the named widgets', () => {
    const dashboards = ofType(realtime, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const [, dashboard] = dashboards[0]!;

    const body = dashboardBody(dashboard.Properties['DashboardBody']);
    const titles = body.widgets.map((w) => w.properties['title']);

    expect(dashboard.Properties['DashboardName']).toBe('Parley-prod');
    expect(titles).toEqual(Object.values(DASHBOARD_WIDGETS));
  });

  it('graphs rejections and moderation decisions from their bounded dimensions, never rooms or users', () => {
    const [, dashboard] = ofType(realtime, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboardBody(dashboard.Properties['DashboardBody']));

    expect(body).toContain(`{Parley,service,reason} MetricName=\\"MessagesRejected\\"`);
    expect(body).toContain(`{Parley,service,decision,sender} MetricName=\\"MessagesModerated\\" sender=\\"person\\"`);
    expect(body).toContain(`sender=\\"agent\\"`);
    // Each series is named after its reason or decision.
    expect(body).toContain("${PROP('Dim.reason')}");
    expect(body).toContain("${PROP('Dim.decision')}");
    expect(body).not.toMatch(/roomId|userId/);
  });

  it('graphs each model’s circuit state from its bounded model dimension', () => {
    const [, dashboard] = ofType(realtime, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboardBody(dashboard.Properties['DashboardBody']));

    expect(body).toContain(`{Parley,service,modelId} MetricName=\\"ModelCircuitState\\"', 'Maximum', 300)`);
    expect(body).toContain("${PROP('Dim.modelId')}");
  });
});
