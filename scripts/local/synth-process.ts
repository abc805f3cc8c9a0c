/**
 * Synthesizes a CDK app in a process of its own, so that what bundling
 * prints (CDK's "Bundling asset" lines, esbuild's summaries, written straight
 * to the inherited file descriptors) lands in a log file rather than on the
 * terminal. Arguments: module, export name, output folder, context as JSON.
 * The outcome goes back to the runtime over IPC.
 */
import { pathToFileURL } from 'node:url';
import type { AppFactory } from './assembly';

const [module, exportName, outdir, contextJson] = process.argv.slice(2);

const report = (message: { ok: true } | { ok: false; error: string }): Promise<void> =>
  new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

try {
  const loaded = (await import(pathToFileURL(module as string).href)) as Record<string, unknown>;
  const factory = loaded[exportName as string];
  if (typeof factory !== 'function') throw new Error(`${module} does not export ${exportName}`);
  (factory as AppFactory)({ outdir: outdir as string, context: JSON.parse(contextJson as string) }).synth();
  await report({ ok: true });
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await report({ ok: false, error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
