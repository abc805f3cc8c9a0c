import { rmSync } from 'node:fs';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { buildParleyApp, stackIds } from '../../lib/parley-app';
import type { RealtimeStack } from '../../lib/realtime-stack';
import type { StatefulStack } from '../../lib/stateful-stack';

export interface SynthesizedParley {
  readonly statefulStack: StatefulStack;
  readonly realtimeStack: RealtimeStack;
  readonly stateful: Template;
  readonly realtime: Template;
  /** Logical id of a realtime function by its row id (e.g. 'GetHistory'). */
  readonly functionLogicalId: (id: string) => string;
  readonly tableLogicalId: (table: ITable) => string;
  /** Logical id of the content key (the stack has another key: the alarm topic's). */
  readonly contentKeyLogicalId: string;
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;

/**
 * Builds Parley's app without bundling (the templates are what is checked
 * here) and synthesizes it, which also runs the cdk-nag checks.
 */
export function synthParley(context: Record<string, unknown> = {}): SynthesizedParley {
  const app = buildParleyApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const ids = stackIds({ stage: typeof context['stage'] === 'string' ? context['stage'] : 'prod' });
  const statefulStack = app.node.findChild(ids.stateful) as StatefulStack;
  const realtimeStack = app.node.findChild(ids.realtime) as RealtimeStack;
  const assembly = app.synth();
  const stateful = Template.fromJSON(assembly.getStackByName(ids.stateful).template);
  const realtime = Template.fromJSON(assembly.getStackByName(ids.realtime).template);
  // The templates are read; the assembly's folder (a fresh one in the system's temp folder each synth) is not needed again.
  rmSync(assembly.directory, { recursive: true, force: true });
  return {
    statefulStack,
    realtimeStack,
    stateful,
    realtime,
    functionLogicalId: (id) => {
      const fn = realtimeStack.functions.get(id);
      if (fn === undefined) throw new Error(`No function ${id}`);
      return logicalId(realtimeStack, fn.function);
    },
    tableLogicalId: (table) => logicalId(statefulStack, table),
    contentKeyLogicalId: logicalId(statefulStack, statefulStack.data.contentKey),
  };
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** Every IAM statement granted to a function's execution role. */
export function statementsOfFunction(template: Template, functionLogicalId: string): Statement[] {
  const resources = template.toJSON().Resources as Resources;
  const fn = resources[functionLogicalId];
  if (fn?.Type !== 'AWS::Lambda::Function') throw new Error(`${functionLogicalId} is not a function`);
  const roleLogicalId = fn.Properties['Role']['Fn::GetAtt'][0] as string;
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties['Roles'] as Array<{ Ref: string }>).some((role) => role.Ref === roleLogicalId))
    .flatMap((r) => r.Properties['PolicyDocument'].Statement as Statement[]);
}

/** All IAM statements of a template. */
export function allStatements(template: Template): Statement[] {
  const resources = template.toJSON().Resources as Resources;
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) => r.Properties['PolicyDocument'].Statement as Statement[]);
}

/** A stream record as Lambda's filter criteria see it: string images in DynamoDB JSON. */
export const streamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { old?: Record<string, string | boolean>; new?: Record<string, string | boolean> },
) => {
  const json = (image: Record<string, string | boolean>) =>
    Object.fromEntries(Object.entries(image).map(([k, v]) => [k, typeof v === 'boolean' ? { BOOL: v } : { S: v }]));
  return {
    eventName,
    dynamodb: {
      ...(images.old ? { OldImage: json(images.old) } : {}),
      ...(images.new ? { NewImage: json(images.new) } : {}),
    },
  };
};
