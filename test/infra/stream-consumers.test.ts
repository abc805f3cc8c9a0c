import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParleyData } from '../../lib/stateful-stack';
import { synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** Each stream consumer and the stateful resource its records go to once its retries are spent. */
const FAILURE_DESTINATIONS: Record<string, (data: ParleyData) => { node: { defaultChild?: unknown } }> = {
  ModerationConsumer: (data) => data.streamFailures.moderation,
  AuditArchiver: (data) => data.streamFailures.auditArchive,
  MemoryStream: (data) => data.streamFailures.memory,
  AgentDispatcher: (data) => data.agentQueues.dispatchFailures,
  ArchiveMessages: (data) => data.archiveFailures,
  PublishEvents: (data) => data.streamFailures.events,
};

describe('the stream consumers', () => {
  let parley: SynthesizedParley;
  let stateful: Record<string, Resource>;
  let realtime: Record<string, Resource>;

  const statefulId = (p: SynthesizedParley, construct: { node: { defaultChild?: unknown } }) =>
    p.statefulStack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
  const streamMappings = (resources: Record<string, Resource>) =>
    Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties['EventSourceArn']).includes('StreamArn'),
    );

  beforeAll(() => {
    parley = synthParley();
    stateful = parley.stateful.toJSON().Resources as Record<string, Resource>;
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('are the known ones, each bisecting failing batches and bounding its retries', () => {
    const consumers = streamMappings(realtime).map((mapping) =>
      Object.keys(FAILURE_DESTINATIONS).find((id) => mapping.Properties['FunctionName'].Ref === parley.functionLogicalId(id)),
    );

    expect([...new Set(consumers)].sort()).toEqual(Object.keys(FAILURE_DESTINATIONS).sort());
    for (const mapping of streamMappings(realtime)) {
      expect(mapping.Properties).toMatchObject({ BisectBatchOnFunctionError: true, MaximumRetryAttempts: expect.any(Number) });
    }
  });

  it('send records that keep failing to a destination in the stateful stack, which keeps it', () => {
    for (const [id, destinationOf] of Object.entries(FAILURE_DESTINATIONS)) {
      const fn = parley.functionLogicalId(id);
      const mapping = streamMappings(realtime).find((r) => r.Properties['FunctionName'].Ref === fn)!;
      const destinationId = statefulId(parley, destinationOf(parley.statefulStack.data));

      const destination = JSON.stringify(mapping.Properties['DestinationConfig'].OnFailure.Destination);

      expect(destination, id).toContain('Fn::ImportValue');
      expect(destination, id).toContain(destinationId);
      expect(stateful[destinationId], id).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('leave no queue in the realtime stack, which can be destroyed and redeployed', () => {
    parley.realtime.resourceCountIs('AWS::SQS::Queue', 0);
  });

  it('lose their failure queues with the data only when the data is to be destroyed', () => {
    const disposable = synthParley({ dataRemovalPolicy: 'destroy', deletionProtection: 'false' });
    const resources = disposable.stateful.toJSON().Resources as Record<string, Resource>;

    for (const [id, destinationOf] of Object.entries(FAILURE_DESTINATIONS)) {
      const destination = resources[statefulId(disposable, destinationOf(disposable.statefulStack.data))];

      expect(destination, id).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
  });
});
