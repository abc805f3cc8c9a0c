import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildParleyApp } from '../../lib/parley-app';
import { assemblyDir, removeAssemblyDirs } from './assembly-dirs';

const noBundling = { 'aws:cdk:bundling-stacks': [] };

/** Every acknowledgment recorded in the tree: rule id, reason, where. */
function acknowledgments(root: IConstruct): Array<{ id: string; reason: string; path: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  afterAll(removeAssemblyDirs);

  it('find nothing unacknowledged in Parley', () => {
    const app = buildParleyApp({ context: noBundling, outdir: assemblyDir() });

    app.synth(); // throws on any unacknowledged finding
    const report = new AwsSolutionsChecks(app).validateScope(app);

    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('find nothing unacknowledged in the configuration variants either', () => {
    const app = buildParleyApp({
      context: { ...noBundling, userPoolMfa: 'off', userPoolFeaturePlan: 'essentials', apiGatewayAccountRole: 'false' },
      outdir: assemblyDir(),
    });

    expect(() => app.synth()).not.toThrow();
  });

  it('acknowledge each finding individually, with a specific reason', () => {
    const app = buildParleyApp({ context: noBundling, outdir: assemblyDir() });

    const acks = acknowledgments(app);

    expect(acks.length).toBeGreaterThan(0);
    // aws-cdk-lib acknowledges its own CloudFormation-Validate rules (a CloudFront log bucket's ACL); those are not ours.
    const ours = acks.filter((ack) => !ack.id.startsWith('CloudFormation-Validate::'));
    expect(ours.filter((ack) => !ack.id.startsWith('AwsSolutions-'))).toEqual([]);
    for (const ack of ours) {
      // A bare rule id would silence every finding of the rule on the subtree.
      if (ack.id.includes('IAM5') || ack.id.includes('IAM4')) expect(ack.id).toMatch(/\[(Resource|Action|Policy)::.+\]$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(60);
    }
    // Never on an app or a stack: always next to the construct concerned.
    expect(acks.filter((ack) => ack.path === '' || !ack.path.includes('/'))).toEqual([]);
  });

  it('report a non-compliant construct', () => {
    const app = new App({ context: noBundling, outdir: assemblyDir() });
    const stack = new Stack(app, 'Throwaway');
    new Table(stack, 'NoRecovery', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const checks = new AwsSolutionsChecks(app);

    const report = checks.validateScope(app);

    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-DDB3');
  });

  it('make synth fail on a non-compliant construct', () => {
    const app = new App({ context: noBundling, outdir: assemblyDir() });
    const stack = new Stack(app, 'Throwaway');
    new Table(stack, 'NoRecovery', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });
});
