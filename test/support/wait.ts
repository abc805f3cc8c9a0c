/**
 * Reads until `done` holds and returns the value that satisfied it: for state
 * that changes behind an asynchronous pipeline (a stream consumer, a queue),
 * where no event tells the test it has changed. Fails with the last value
 * read when `timeoutMs` passes first.
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not reached within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
