import { describe, expect, it } from 'vitest';
import { cachedSecret } from '../../../../lambdas/adapters/secrets/cached-secret';
import type { SecretReader } from '../../../../lambdas/domain/agents/ports';

/** A secret store whose value and failures the test sets, counting reads. */
class FakeSecrets implements SecretReader {
  reads = 0;
  value = 'sk-1';
  failNext: Error | undefined;
  async read(): Promise<string> {
    this.reads += 1;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    return this.value;
  }
}

describe('cachedSecret', () => {
  it('reads once per period and picks up a replaced value after it', async () => {
    const secrets = new FakeSecrets();
    let now = 0;
    const key = cachedSecret(secrets, 'parley/openai', { ttlMs: 1000, now: () => now });

    expect(await Promise.all([key(), key()])).toEqual(['sk-1', 'sk-1']);
    secrets.value = 'sk-2';
    now = 999;
    expect(await key()).toBe('sk-1');
    now = 1000;
    expect(await key()).toBe('sk-2');
    expect(secrets.reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const secrets = new FakeSecrets();
    secrets.failNext = new Error('throttled');
    const key = cachedSecret(secrets, 'parley/openai', { ttlMs: 60_000, now: () => 0 });

    await expect(key()).rejects.toThrow('throttled');
    expect(await key()).toBe('sk-1');
    expect(secrets.reads).toBe(2);
  });
});
