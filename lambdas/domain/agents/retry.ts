/**
 * Exponential backoff with jitter: attempt 1 waits about `baseMs`, each
 * later attempt about twice as long, never more than `maxMs`. Half of the
 * delay is random so that agents throttled together do not retry together.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
