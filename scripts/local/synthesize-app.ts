import { existsSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AppFactory, type AssemblyStack, readCloudAssembly, synthesize } from './assembly';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from './identity/identity-provider';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Context the app receives, so the template itself trusts the local identity provider. */
export const LOCAL_CONTEXT = {
  stage: 'local',
  jwtIssuer: LOCAL_ISSUER,
  jwtAudience: LOCAL_AUDIENCE,
  jwksUri: `${LOCAL_ISSUER}/.well-known/jwks.json`,
} as const;

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

const sourcesOf = (app: AppModule | undefined): readonly string[] =>
  app ? (app.sources ?? [dirname(app.module), join(REPO_ROOT, 'package-lock.json')]) : PARLEY_SOURCES;

const loadFactory = async (app: AppModule): Promise<AppFactory> => {
  const module = (await import(pathToFileURL(app.module).href)) as Record<string, unknown>;
  const factory = module[app.exportName];
  if (typeof factory !== 'function') throw new Error(`${app.module} does not export ${app.exportName}`);
  return factory as AppFactory;
};

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
}): Promise<SynthesizedApp> {
  const app = options.app ?? PARLEY_APP;
  const synthesized = await synthesize({
    outdir: options.cdkOut,
    context: { ...LOCAL_CONTEXT },
    force: options.force,
    sources: sourcesOf(options.app),
    loadApp: () => loadFactory(app),
  });
  const stacks = readCloudAssembly(options.cdkOut);
  linkSdkModules(options.cdkOut);
  return { synthesized, stacks };
}
