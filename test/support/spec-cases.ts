import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Reading the published specifications and deriving test cases from them
 * alone, for the contract tests (test/contract/): valid requests (the
 * spec's examples, their required fields only) and invalid ones (a required
 * field removed, a field of the wrong type, a string over its maxLength, a
 * number over its maximum), each with the spec's own verdict checked by ajv.
 */

type Json = Record<string, unknown>;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A checked-in specification, e.g. `docs/asyncapi.json`. */
export const readSpec = (path: string): Json => JSON.parse(readFileSync(`${repoRoot}${path}`, 'utf8')) as Json;

/** An ajv for JSON Schema 2020-12, strict about the schemas it is given, with the standard formats. */
export function specAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/** Every `$ref` in a document, with the JSON pointer it names. */
export function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsOf(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsOf(inner, found);
    }
  }
  return found;
}

/** What a local `$ref` (`#/a/b`) points at in the document, or undefined. */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Json)[part] : undefined), document);
}

export interface SpecCase {
  readonly name: string;
  readonly body: unknown;
}

const propertiesOf = (schema: Json): Record<string, Json> => (schema['properties'] ?? {}) as Record<string, Json>;
const requiredOf = (schema: Json): string[] => (schema['required'] ?? []) as string[];

/** The value with only the fields its schema requires, at every depth of plain objects. */
export function requiredOnly(schema: Json, value: unknown): unknown {
  if (schema['type'] !== 'object' || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const properties = propertiesOf(schema);
  return Object.fromEntries(
    requiredOf(schema)
      .filter((name) => Object.hasOwn(value, name))
      .map((name) => [name, requiredOnly(properties[name] ?? {}, (value as Json)[name])]),
  );
}

/** A value of a type the field's schema does not allow. */
export function wrongTypeFor(schema: Json): unknown {
  const types = schema['type'] !== undefined ? [schema['type']].flat() : [];
  if (types.length === 0) return null;
  if (types.includes('string')) return 42;
  if (types.includes('object') || types.includes('array')) return 'not-a-container';
  return 'not-a-number';
}

/**
 * The invalid variants of a valid request: each required field removed
 * (but `keep`), each field of the wrong type, each string one character over
 * its maxLength and each number one over its maximum.
 */
export function invalidVariants(schema: Json, valid: Json, keep: readonly string[] = []): SpecCase[] {
  const cases: SpecCase[] = [];
  const properties = propertiesOf(schema);
  for (const name of requiredOf(schema)) {
    if (keep.includes(name)) continue;
    const { [name]: _removed, ...rest } = valid;
    cases.push({ name: `without required ${name}`, body: rest });
  }
  for (const [name, field] of Object.entries(properties)) {
    if (keep.includes(name)) continue;
    cases.push({ name: `${name} of the wrong type`, body: { ...valid, [name]: wrongTypeFor(field) } });
    if (typeof field['maxLength'] === 'number' && field['pattern'] === undefined) {
      cases.push({ name: `${name} over its maxLength`, body: { ...valid, [name]: 'x'.repeat(field['maxLength'] + 1) } });
    }
    if (typeof field['maximum'] === 'number') {
      cases.push({ name: `${name} over its maximum`, body: { ...valid, [name]: field['maximum'] + 1 } });
    }
  }
  return cases;
}

/** Whether a schema lists every property it declares in the example, at every depth of plain objects. */
export function missingFields(schema: Json, value: unknown, at = ''): string[] {
  if (schema['type'] !== 'object' || typeof value !== 'object' || value === null) return [];
  return Object.entries(propertiesOf(schema)).flatMap(([name, field]) =>
    Object.hasOwn(value, name) ? missingFields(field, (value as Json)[name], `${at}${name}.`) : [`${at}${name}`],
  );
}
