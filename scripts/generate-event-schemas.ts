import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eventSchemaFiles } from './event-schemas';

/**
 * Writes the domain events' JSON Schemas to docs/events/ from the zod
 * schemas (lambdas/domain/events/domain-events.ts). Run after changing an
 * event: `npx tsx scripts/generate-event-schemas.ts`; a unit test fails
 * while the checked-in files differ.
 */
const root = join(import.meta.dirname, '..');
for (const [path, text] of eventSchemaFiles()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  process.stdout.write(`${path}\n`);
}
