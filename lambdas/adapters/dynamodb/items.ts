import { ParleyError } from '../../domain/errors';

/** An item as the document client returns it. */
export type Item = Record<string, unknown>;

/**
 * Reads a string attribute, failing loudly when the stored item does not
 * have the shape the key design promises: corrupt data must not reach the
 * domain as `undefined`.
 */
export function stringAttr(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') {
    throw new ParleyError(`Stored item has no string attribute "${name}".`);
  }
  return value;
}

/** Reads an optional string attribute. */
export function optionalStringAttr(item: Item, name: string): string | undefined {
  const value = item[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads one of the allowed string values. */
export function oneOfAttr<T extends string>(item: Item, name: string, allowed: readonly T[]): T {
  const value = stringAttr(item, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ParleyError(`Stored item has an unexpected "${name}".`);
  }
  return value as T;
}

/** Epoch seconds, the unit of DynamoDB's TTL attribute. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);
