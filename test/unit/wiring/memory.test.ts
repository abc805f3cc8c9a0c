import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEMORY_ENV, resetEnvCache } from '../../../lambdas/wiring/env';
import { readMemoryPolicy, readSummarizerKind } from '../../../lambdas/wiring/memory';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('readMemoryPolicy', () => {
  it('uses windows of 8 and a summary every 20 messages by default', () => {
    expect(readMemoryPolicy()).toMatchObject({ windowSize: 8, summaryEvery: 20 });
  });

  it('takes the summary interval from the environment', () => {
    vi.stubEnv(MEMORY_ENV.summaryEvery, '50');

    expect(readMemoryPolicy().summaryEvery).toBe(50);
  });
});

describe('readSummarizerKind', () => {
  it('is extractive unless told otherwise', () => {
    expect(readSummarizerKind()).toBe('extractive');
  });

  it('is bedrock only with a model id', () => {
    vi.stubEnv(MEMORY_ENV.summarizer, 'bedrock');
    expect(() => readSummarizerKind()).toThrow(/MEMORY_SUMMARY_MODEL_ID/);

    resetEnvCache();
    vi.stubEnv(MEMORY_ENV.summaryModelId, 'anthropic.claude-3-haiku-20240307-v1:0');
    expect(readSummarizerKind()).toBe('bedrock');
  });

  it('refuses an unknown summarizer', () => {
    vi.stubEnv(MEMORY_ENV.summarizer, 'magic');

    expect(() => readSummarizerKind()).toThrow(/extractive" or "bedrock/);
  });
});
