import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core in a page: its WCAG 2.x A and AA rules. The local server's CSP
 * allows only its own scripts: a context opened with `bypassCSP: true` takes
 * axe as a script tag; any other page gets it evaluated through the
 * browser's debugging protocol, which the page's CSP does not govern (for
 * the test only, either way).
 */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The violations axe finds on the page as it is now, one line per rule and element. */
export async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: AXE }).catch(() => page.evaluate(readFileSync(AXE, 'utf8')));
  }
  if (!(await page.evaluate(() => 'axe' in window))) throw new Error('axe-core could not be loaded into the page');
  const found = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
  }, WCAG);
  return found;
}
