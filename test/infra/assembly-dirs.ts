import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/**
 * A fresh folder in the system's temp folder for one app's cloud assembly,
 * for `new App({ outdir })` or `buildParleyApp({ outdir })`. An app given
 * none makes its own (`cdk.out…`) as soon as it stages an asset, and nothing
 * removes it: call removeAssemblyDirs after the tests that use these.
 */
export function assemblyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-assembly-'));
  made.push(dir);
  return dir;
}

/** Removes every folder assemblyDir made in this test file. */
export function removeAssemblyDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
