/**
 * The Specs function's bundle: serving the checked-in documents as bundled
 * JSON (what lambdas/handlers/specs.ts does) against running the generators
 * at cold start, and a baseline of the same handler serving empty documents,
 * all bundled as the CDK bundles functions and measured in the same run:
 * minified size, and module init time as the median of fresh Node processes.
 *
 *   npm run bench -- specs
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const PROCESSES = 7;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const handlerFile = join(repoRoot, 'lambdas/handlers/specs.ts');
const ESM_REQUIRE_BANNER = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

type Variant = 'baseline (no documents)' | 'bundled JSON (served)' | 'generated at cold start';

export interface SpecsBundleRow {
  readonly variant: Variant;
  readonly bytes: number;
  readonly initMedianMs: number;
}

/** The handler's source with its two document imports replaced by `documents`. */
function variantSource(documents: { imports: string; openapi: string; asyncapi: string }): string {
  const source = readFileSync(handlerFile, 'utf8');
  return source
    .replace(/^import asyncapi from .*$/m, documents.imports)
    .replace(/^import openapi from .*$/m, '')
    .replace('served(openapi)', `served(${documents.openapi})`)
    .replace('served(asyncapi)', `served(${documents.asyncapi})`);
}

const VARIANTS: Record<Variant, () => string> = {
  'baseline (no documents)': () => variantSource({ imports: '', openapi: '{}', asyncapi: '{}' }),
  'bundled JSON (served)': () => readFileSync(handlerFile, 'utf8'),
  'generated at cold start': () =>
    variantSource({
      imports: "import { SPEC_DOCUMENTS } from '../contracts/documents';",
      openapi: "SPEC_DOCUMENTS['docs/openapi.json']()",
      asyncapi: "SPEC_DOCUMENTS['docs/asyncapi.json']()",
    }),
};

const PROBE = `const started = performance.now(); await import(process.env.SPECS_BUNDLE_URL); console.log(performance.now() - started);`;

function initMs(bundle: string): number {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_REGION: 'us-east-1',
      POWERTOOLS_SERVICE_NAME: 'parley',
      POWERTOOLS_METRICS_NAMESPACE: 'Parley',
      LOG_LEVEL: 'ERROR',
      SPECS_BUNDLE_URL: pathToFileURL(bundle).href,
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Importing ${bundle} failed: ${result.stderr.slice(0, 1000)}`);
  return Number(result.stdout.trim());
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runSpecsBundleBenchmark(log: (line: string) => void = () => {}): Promise<SpecsBundleRow[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'parley-specs-bench-'));
  try {
    const rows: SpecsBundleRow[] = [];
    for (const [variant, source] of Object.entries(VARIANTS) as Array<[Variant, () => string]>) {
      // The entry sits beside the real handler's imports: same resolution, same bundle as the CDK makes.
      const entry = join(repoRoot, 'lambdas/handlers', `.bench-specs-${rows.length}.ts`);
      const outfile = join(outdir, `${rows.length}.mjs`);
      writeFileSync(entry, source());
      try {
        await build({
          entryPoints: [entry],
          outfile,
          bundle: true,
          minify: true,
          platform: 'node',
          target: 'node24',
          format: 'esm',
          mainFields: ['module', 'main'],
          banner: { js: ESM_REQUIRE_BANNER },
          logLevel: 'error',
        });
      } finally {
        rmSync(entry, { force: true });
      }
      const runs = Array.from({ length: PROCESSES }, () => initMs(outfile));
      rows.push({ variant, bytes: statSync(outfile).size, initMedianMs: median(runs) });
      log(`${variant}: ${runs.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function formatSpecsBundle(rows: readonly SpecsBundleRow[]): string {
  const baseline = rows[0]!;
  return [
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end; init: median of ${PROCESSES} fresh processes`,
    '',
    '| variant | bundle | init (median) | init / baseline |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.variant} | ${(row.bytes / 1024).toFixed(1)} KB | ${row.initMedianMs.toFixed(1)} ms | ${(row.initMedianMs / baseline.initMedianMs).toFixed(2)} |`,
    ),
  ].join('\n');
}
