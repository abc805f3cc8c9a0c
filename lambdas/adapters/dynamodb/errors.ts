/**
 * Recognising DynamoDB's expected failures by name, which survives duplicate
 * copies of the SDK in a bundle where `instanceof` would not.
 */
const nameOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;

export const isConditionalCheckFailed = (error: unknown): boolean =>
  nameOf(error) === 'ConditionalCheckFailedException';

/**
 * True when `error` cancelled a transaction because the condition of the
 * item at `index` (in TransactItems order) failed.
 */
export function isTransactionConditionFailure(error: unknown, index: number): boolean {
  if (nameOf(error) !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.[index]?.Code === 'ConditionalCheckFailed';
}
