import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * Builds the browser client into static files with esbuild: one JavaScript
 * bundle and one stylesheet with content hashes in their names (cacheable
 * for ever) and an index.html that names them (never cached). Synchronous,
 * so the CDK app can run it as local asset bundling.
 */

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));

/** Browsers the client supports: those with BigInt, WebCrypto and ES2022. */
const TARGETS = ['es2022', 'chrome109', 'edge109', 'firefox115', 'safari16'];

export interface WebClientFiles {
  /** Path relative to the site root → content. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** The hashed asset paths (safe to cache for ever). */
  readonly immutable: readonly string[];
}

export interface BuildWebClientOptions {
  readonly minify?: boolean;
  /** Linked source maps (for local development). */
  readonly sourceMaps?: boolean;
}

export function buildWebClient(options: BuildWebClientOptions = {}): WebClientFiles {
  const assetsDir = join(WEB_ROOT, 'dist', 'assets');
  const result = buildSync({
    entryPoints: { app: join(WEB_ROOT, 'src', 'main.ts'), styles: join(WEB_ROOT, 'styles.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: TARGETS,
    minify: options.minify ?? true,
    sourcemap: options.sourceMaps ? 'linked' : false,
    entryNames: '[name]-[hash]',
    outdir: assetsDir,
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  const immutable: string[] = [];
  let script: string | undefined;
  let styles: string | undefined;
  for (const output of result.outputFiles) {
    const path = `assets/${relative(assetsDir, output.path).split('\\').join('/')}`;
    files.set(path, output.contents);
    immutable.push(path);
    if (/^assets\/app-[\w-]+\.js$/.test(path)) script = path;
    if (/^assets\/styles-[\w-]+\.css$/.test(path)) styles = path;
  }
  if (script === undefined || styles === undefined) throw new Error('The web client build produced no script or stylesheet.');
  const html = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8').replace('%SCRIPT%', script).replace('%STYLES%', styles);
  files.set('index.html', new TextEncoder().encode(html));
  // The widget keeps one stable name: host pages embed it by that URL.
  files.set(WIDGET_PATH, buildWidget(options));
  return { files, immutable };
}

/** Where the embeddable widget is served, beside the client (docs/widget.md). */
export const WIDGET_PATH = 'widget.js';

/**
 * The embeddable widget (web/widget) as one classic script: an IIFE, so it
 * runs from a plain `<script async>` on any page and leaves no globals.
 */
export function buildWidget(options: BuildWebClientOptions = {}): Uint8Array {
  const result = buildSync({
    entryPoints: [join(WEB_ROOT, 'widget', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: TARGETS,
    minify: options.minify ?? true,
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('The widget build produced no script.');
  return output.contents;
}

/** Builds the client into `outdir`. */
export function writeWebClient(outdir: string, options: BuildWebClientOptions = {}): WebClientFiles {
  const built = buildWebClient(options);
  const root = resolve(outdir);
  for (const [path, contents] of built.files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents);
  }
  return built;
}
