import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SPEC_DOCUMENTS } from '../lambdas/contracts/documents';

/**
 * Writes the published specifications (docs/contracts.md): the OpenAPI
 * document of the HTTP API and the AsyncAPI document of the WebSocket API,
 * generated from the schemas the edges validate with. A unit test fails
 * when the copies differ from what the generators produce, so run this
 * after changing a request, route or frame schema.
 *
 *   npm run specs
 */

/** A document as it is written to disk: two-space JSON and a final newline. */
export const specText = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, build] of Object.entries(SPEC_DOCUMENTS)) {
    const text = specText(build());
    writeFileSync(`${repoRoot}${path}`, text);
    console.log(`${path}: ${Buffer.byteLength(text)} bytes`);
  }
}
