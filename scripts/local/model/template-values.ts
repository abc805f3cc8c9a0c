import { createHash } from 'node:crypto';

/** A model's key for a resource: unique across the app's stacks. */
export const resourceKey = (stackName: string, logicalId: string): string => `${stackName}/${logicalId}`;

export const shortHash = (text: string, length = 10): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * The physical name CloudFormation would choose when the template sets none:
 * `<stack>-<logicalId>`, stable so persisted data survives restarts, and
 * shortened with a hash to fit the service's limit.
 */
export const localName = (stackName: string, logicalId: string, max: number): string => {
  const name = `${stackName}-${logicalId}`;
  return name.length <= max ? name : `${name.slice(0, max - 9)}-${shortHash(name, 8)}`;
};

/** A numeric property, or the service's default when the template leaves it out. */
export const asNumber = (value: unknown, fallback: number): number =>
  value === undefined || value === null || value === '' ? fallback : Number(value);
