import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A CloudFormation template as CDK synthesizes it. */
export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** One stack of the cloud assembly, with where its function code lives. */
export interface AssemblyStack {
  readonly stackName: string;
  readonly template: Template;
  /** Asset hash (the zip's S3 key without `.zip`) → absolute folder of the bundled code. */
  readonly assets: ReadonlyMap<string, string>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly properties?: { templateFile?: string; stackName?: string; file?: string; directoryName?: string };
}

/**
 * Reads a synthesized cloud assembly (manifest.json, the stack templates and
 * the asset manifests that map each function's code key to its bundled
 * folder). Nested assemblies (CDK stages) are read too.
 */
export function readCloudAssembly(outdir: string): AssemblyStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, ManifestArtifact>;
  };
  const artifacts = manifest.artifacts ?? {};
  const assets = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    if (artifact.type !== 'cdk:asset-manifest' || !artifact.properties?.file) continue;
    const assetManifest = JSON.parse(readFileSync(join(outdir, artifact.properties.file), 'utf8')) as {
      files?: Record<string, { source: { path?: string } }>;
    };
    for (const [hash, file] of Object.entries(assetManifest.files ?? {})) {
      if (file.source.path) assets.set(hash, join(outdir, file.source.path));
    }
  }
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      stacks.push({
        stackName: artifact.properties.stackName ?? id,
        template: JSON.parse(readFileSync(join(outdir, artifact.properties.templateFile), 'utf8')) as Template,
        assets,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readCloudAssembly(join(outdir, artifact.properties.directoryName)));
    }
  }
  return stacks;
}

/** Builds a CDK app the way `bin/app.ts` does, into `outdir`. */
export type AppFactory = (options: { outdir: string; context: Record<string, unknown> }) => { synth(): unknown };

export interface SynthOptions {
  readonly outdir: string;
  readonly context: Record<string, unknown>;
  /** Synthesizes the app into `outdir`; only called when the sources changed since the last synth. */
  readonly runApp: (outdir: string, context: Record<string, unknown>) => Promise<void>;
  /** Folders and files whose contents decide whether a previous synth is still good. */
  readonly sources: readonly string[];
  readonly force?: boolean;
}

const STAMP = 'parley-local-stamp.json';

/** The app did not synthesize (a bad configuration, a cdk-nag finding, a compile error). */
export class SynthError extends Error {
  constructor(cause: unknown) {
    super(`The CDK app did not synthesize: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SynthError';
  }
}

const fingerprint = (sources: readonly string[], context: Record<string, unknown>): string => {
  const hash = createHash('sha256').update(JSON.stringify(context));
  const visit = (path: string, root: string): void => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        visit(join(path, name), root);
      }
    } else {
      // Contents, not times: saving a file unchanged does not cost a synth.
      hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  for (const source of sources) visit(source, source);
  return hash.digest('hex');
};

/**
 * Synthesizes the app into `outdir` unless a previous synth of the same
 * sources and context is there already. Returns whether it synthesized.
 */
export async function synthesize(options: SynthOptions): Promise<boolean> {
  const stampFile = join(options.outdir, STAMP);
  const stamp = fingerprint(options.sources, options.context);
  const upToDate = () =>
    !options.force &&
    existsSync(stampFile) &&
    existsSync(join(options.outdir, 'manifest.json')) &&
    (JSON.parse(readFileSync(stampFile, 'utf8')) as { stamp?: string }).stamp === stamp;
  if (upToDate()) return false;
  // Several runtimes (parallel test suites) may share an output folder: one synthesizes at a time.
  const release = await lock(`${options.outdir}.lock`);
  try {
    if (upToDate()) return false;
    try {
      await options.runApp(options.outdir, options.context);
    } catch (cause) {
      throw new SynthError(cause);
    }
    writeFileSync(stampFile, JSON.stringify({ stamp }));
    return true;
  } finally {
    release();
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const lock = async (path: string): Promise<() => void> => {
  mkdirSync(dirname(path), { recursive: true });
  const owner = join(path, 'pid');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock whose process is gone (a synth interrupted by Ctrl-C) is free.
      const pid = Number(existsSync(owner) ? readFileSync(owner, 'utf8') : Number.NaN);
      const heldSince = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      const abandoned = Number.isInteger(pid) ? !isAlive(pid) : Date.now() - heldSince > 10_000;
      if (abandoned) rmSync(path, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for ${path}`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
};
