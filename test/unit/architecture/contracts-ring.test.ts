import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const contractsDir = fileURLToPath(new URL('../../../lambdas/contracts/', import.meta.url));

/** The module specifiers a file imports, `import type` included. */
const importsOf = (source: string): string[] =>
  [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!);

const ALLOWED = /^(\.\/[\w-]+|\.\.\/domain\/[\w/-]+|zod\/mini)$/;

describe('lambdas/contracts', () => {
  it('is as pure as the domain: it imports the domain, its own modules and zod only', () => {
    const files = readdirSync(contractsDir).filter((name) => name.endsWith('.ts'));
    const imports = files.flatMap((file) =>
      importsOf(readFileSync(`${contractsDir}${file}`, 'utf8')).map((specifier) => `${file}: ${specifier}`),
    );

    expect(imports.some((line) => line.includes(': ../domain/'))).toBe(true);
    expect(imports.filter((line) => !ALLOWED.test(line.split(': ')[1]!))).toEqual([]);
  });
});
