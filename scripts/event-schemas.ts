import { z } from 'zod';
import { DOMAIN_EVENT_TYPES, EVENT_VERSION, domainEventSchema } from '../lambdas/domain/events/domain-events';

/** Where an event type's JSON Schema is kept: docs/events/<type>.v<version>.json. */
export const eventSchemaPath = (type: string, version: number): string => `docs/events/${type}.v${version}.json`;

/**
 * The JSON Schema of every domain event at its current version, generated
 * from the zod schemas the publisher validates with, as the files
 * docs/events/ holds (path → text).
 */
export function eventSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const type of DOMAIN_EVENT_TYPES) {
    const version = EVENT_VERSION[type];
    const schema = {
      $id: `https://parley.dev/events/${type}.v${version}.json`,
      title: `Parley ${type} event, version ${version}`,
      ...z.toJSONSchema(domainEventSchema(type), { target: 'draft-2020-12' }),
    };
    files.set(eventSchemaPath(type, version), `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}
