/**
 * Measures every Lambda bundle of the realtime stack: size of the minified
 * index.mjs and module initialization time on Node.js (median of fresh
 * processes), against Parley's budgets. Prints a markdown table, or JSON with
 * --json. Over-budget bundles list their heaviest packages (esbuild metafile).
 *
 *   npx tsx scripts/measure-bundles.ts [--json] [--runs=5]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { ENV } from '../lambdas/wiring/env';
import { buildParleyApp, stackIds } from '../lib/parley-app';
import { readConfig } from '../lib/config';
import type { RealtimeStack } from '../lib/realtime-stack';

const BUDGET = { bytes: 250 * 1024, initMs: 100 } as const;
const MIN_NODE_MAJOR = 24;

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 5);

/** Values for the variables module-level code reads, as Lambda would set them. */
const DUMMY_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'measure',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  POWERTOOLS_SERVICE_NAME: 'parley',
  POWERTOOLS_METRICS_NAMESPACE: 'Parley',
  LOG_LEVEL: 'ERROR',
  [ENV.roomsTable]: 'rooms',
  [ENV.messagesTable]: 'messages',
  [ENV.connectionsTable]: 'connections',
  [ENV.managementEndpoint]: 'https://example.execute-api.us-east-1.amazonaws.com/prod',
  [ENV.maxTextBytes]: '4096',
  [ENV.rateLimitPerSecond]: '5',
  [ENV.rateLimitBurst]: '10',
  [ENV.jwtIssuer]: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
  [ENV.jwtAudience]: 'example-client',
};

const MARKER = 'PARLEY_INIT_MS=';
const INIT_PROBE = `
const started = performance.now();
await import(process.env.PARLEY_BUNDLE_URL);
console.log('${MARKER}' + (performance.now() - started));
`;

interface Measurement {
  readonly function: string;
  readonly bytes: number;
  readonly initMs: number;
  readonly initRunsMs: readonly number[];
  readonly overBudget: boolean;
  readonly heaviest: ReadonlyArray<{ readonly module: string; readonly bytes: number }>;
}

/**
 * The function's own environment from the template: literal values as they
 * are, references to other resources (table names, queue URLs) as
 * placeholders, so module-level code runs as it would in Lambda.
 */
function functionEnvironment(variables: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : /URL|ENDPOINT/.test(name) ? 'https://example.com/placeholder' : 'placeholder',
    ]),
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One fresh Node process importing the bundle; returns the import time in ms. */
function measureInit(bundle: string, functionEnv: Record<string, string>): number {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', INIT_PROBE], {
    env: { PATH: process.env['PATH'] ?? '', ...DUMMY_ENV, ...functionEnv, PARLEY_BUNDLE_URL: pathToFileURL(bundle).href },
    encoding: 'utf8',
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (result.status !== 0 || line === undefined) {
    throw new Error(`Importing ${bundle} failed (exit ${result.status}):\n${result.stderr.slice(0, 2000)}`);
  }
  return Number(line.slice(MARKER.length));
}

/** Bytes in the output per package (or per source directory), heaviest first. */
function heaviestModules(metafile: string, top: number): Array<{ module: string; bytes: number }> {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('.mjs'))?.[1];
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.slice(input.lastIndexOf('node_modules/')));
    const key = pkg ? pkg[1]! : input.replace(/^(\.\.\/)+/, '').split('/').slice(0, 2).join('/');
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals.entries()]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

function main(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    console.error(`Node.js ${MIN_NODE_MAJOR}+ required (got ${process.versions.node}); run through npx.`);
    process.exit(1);
  }

  const outdir = mkdtempSync(join(tmpdir(), 'parley-bundles-'));
  try {
    const synthStarted = performance.now();
    const app = buildParleyApp({ outdir, context: { bundleMetafile: true, 'aws:cdk:enable-asset-metadata': true } });
    const assembly = app.synth();
    const synthMs = performance.now() - synthStarted;

    const realtimeId = stackIds(readConfig(app)).realtime;
    const stack = app.node.findChild(realtimeId) as RealtimeStack;
    const template = assembly.getStackByName(realtimeId).template as {
      Resources: Record<
        string,
        { Metadata?: Record<string, string>; Properties?: { Environment?: { Variables?: Record<string, unknown> } } }
      >;
    };

    const measurements: Measurement[] = [];
    for (const [id, fn] of stack.functions) {
      const logicalId = stack.resolve((fn.function.node.defaultChild as CfnElement).logicalId) as string;
      const assetPath = template.Resources[logicalId]?.Metadata?.['aws:asset:path'];
      if (assetPath === undefined) throw new Error(`No bundled asset for ${id}`);
      const dir = join(outdir, assetPath);
      const bundle = join(dir, 'index.mjs');
      const bytes = statSync(bundle).size;
      const initRunsMs = Array.from({ length: runs }, () =>
        measureInit(bundle, functionEnvironment(template.Resources[logicalId]?.Properties?.Environment?.Variables)),
      );
      const initMs = median(initRunsMs);
      const overBudget = bytes > BUDGET.bytes || initMs > BUDGET.initMs;
      measurements.push({
        function: id,
        bytes,
        initMs,
        initRunsMs,
        overBudget,
        heaviest: heaviestModules(join(dir, 'index.meta.json'), asJson ? 40 : overBudget ? 6 : 0),
      });
    }

    if (asJson) {
      console.log(
        JSON.stringify({ node: process.versions.node, runs, budget: BUDGET, synthMs, functions: measurements }, null, 2),
      );
      return;
    }

    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    const lines = [
      `Node.js ${process.versions.node}, median of ${runs} fresh processes; synth with bundling ${(synthMs / 1000).toFixed(1)} s.`,
      `Budget: < ${kb(BUDGET.bytes)} and < ${BUDGET.initMs} ms per function.`,
      '',
      '| function | bundle | init (median) | within budget |',
      '|---|---:|---:|:---:|',
      ...measurements.map(
        (m) => `| ${m.function} | ${kb(m.bytes)} | ${m.initMs.toFixed(1)} ms | ${m.overBudget ? 'no' : 'yes'} |`,
      ),
    ];
    const over = measurements.filter((m) => m.overBudget);
    if (over.length > 0) {
      lines.push('', 'Heaviest modules of the bundles over budget (bytes in the minified output):');
      for (const m of over) {
        lines.push('', `**${m.function}**: ${m.heaviest.map((h) => `${h.module} ${kb(h.bytes)}`).join(', ')}`);
      }
    }
    console.log(lines.join('\n'));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main();
