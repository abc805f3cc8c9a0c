import { fork } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AssemblyStack, readCloudAssembly, synthesize } from './assembly';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from './identity/identity-provider';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Context the app receives, so the template itself trusts the local identity provider. */
export const LOCAL_CONTEXT = {
  stage: 'local',
  jwtIssuer: LOCAL_ISSUER,
  jwtAudience: LOCAL_AUDIENCE,
  jwksUri: `${LOCAL_ISSUER}/.well-known/jwks.json`,
} as const;

/**
 * Room memory's embeddings endpoint, when PARLEY_EMBEDDINGS_URL names an
 * OpenAI-compatible one (any http or https URL, e.g. Ollama's
 * `http://127.0.0.1:11434/v1`) with PARLEY_EMBEDDINGS_MODEL: as context
 * keys, so the synthesized functions get it as they would in AWS.
 */
export const embeddingsContext = (env: NodeJS.ProcessEnv): Record<string, string> => {
  const url = env['PARLEY_EMBEDDINGS_URL'];
  if (url === undefined || url === '') return {};
  const model = env['PARLEY_EMBEDDINGS_MODEL'];
  return { memoryEmbeddingBaseUrl: url, ...(model === undefined || model === '' ? {} : { memoryEmbeddingModel: model }) };
};

/** A module exporting a CDK app factory like `buildParleyApp`. */
export interface AppModule {
  readonly module: string;
  readonly exportName: string;
  /** What decides whether a previous synth is still good; defaults to the module's folder. */
  readonly sources?: readonly string[];
}

export interface SynthesizedApp {
  /** False when a previous synth of the same sources was reused. */
  readonly synthesized: boolean;
  readonly stacks: AssemblyStack[];
}

const PARLEY_APP: AppModule = { module: join(REPO_ROOT, 'lib/parley-app.ts'), exportName: 'buildParleyApp' };
const PARLEY_SOURCES = ['lib', 'bin', 'lambdas', 'package-lock.json', 'cdk.json'].map((p) => join(REPO_ROOT, p));

/**
 * What a synth depends on. Another app's folder and, unless it names its own
 * sources, Parley's too: the test apps build on Parley's stacks, and a cached
 * synth that missed a change there would run yesterday's functions.
 */
const sourcesOf = (app: AppModule | undefined): readonly string[] =>
  app ? (app.sources ?? [dirname(app.module), ...PARLEY_SOURCES]) : PARLEY_SOURCES;

const SYNTH_PROCESS = fileURLToPath(new URL('./synth-process.ts', import.meta.url));

/**
 * Runs the app's synth in a child process whose output (CDK's and esbuild's
 * bundling lines) is appended to `logFile`; rejects with the app's error.
 */
const synthesizeInChild = (app: AppModule, logFile: string, outdir: string, context: Record<string, unknown>) =>
  new Promise<void>((resolve, reject) => {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = openSync(logFile, 'a');
    writeSync(log, `\n== ${new Date().toISOString()} synthesizing ${app.module}#${app.exportName} into ${outdir}\n`);
    const child = fork(SYNTH_PROCESS, [app.module, app.exportName, outdir, JSON.stringify(context)], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    let outcome: { ok: true } | { ok: false; error: string } | undefined;
    child.on('message', (message) => (outcome = message as typeof outcome));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0 && outcome?.ok) return resolve();
      const detail = outcome && !outcome.ok ? outcome.error : `the synth process ended with ${signal ?? `code ${code}`}`;
      reject(new Error(`${detail} (details in ${logFile})`));
    });
  });

/**
 * Lambda's Node.js runtime provides the AWS SDK, so bundles leave @aws-sdk/*
 * external; the project's own copy, linked beside the bundles, plays that part.
 */
const linkSdkModules = (cdkOut: string): void => {
  const modules = join(cdkOut, 'node_modules');
  if (existsSync(modules)) return;
  try {
    symlinkSync(join(REPO_ROOT, 'node_modules'), modules, process.platform === 'win32' ? 'junction' : 'dir');
  } catch (error) {
    // Another runtime sharing this cloud assembly linked it first.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
};

/**
 * Synthesizes the app (Parley's own unless `app` names another) into
 * `cdkOut` with the local context, skipping the synth when its sources are
 * unchanged, and reads the resulting cloud assembly.
 */
export async function synthesizeApp(options: {
  readonly app?: AppModule;
  readonly cdkOut: string;
  readonly force: boolean;
  /** Where the synth's own output (bundling) goes. */
  readonly logFile: string;
  /** Called when a synth is needed, before it starts. */
  readonly onSynthStart?: () => void;
}): Promise<SynthesizedApp> {
  const app = options.app ?? PARLEY_APP;
  const synthesized = await synthesize({
    outdir: options.cdkOut,
    context: { ...LOCAL_CONTEXT, ...embeddingsContext(process.env) },
    force: options.force,
    sources: sourcesOf(options.app),
    runApp: (outdir, context) => {
      options.onSynthStart?.();
      return synthesizeInChild(app, options.logFile, outdir, context);
    },
  });
  const stacks = readCloudAssembly(options.cdkOut);
  linkSdkModules(options.cdkOut);
  return { synthesized, stacks };
}
