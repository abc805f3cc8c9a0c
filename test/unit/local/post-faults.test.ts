import { describe, expect, it } from 'vitest';
import { PostFaults } from '../../../scripts/local/gateway/post-faults';

describe('PostFaults', () => {
  it('is off unless configured', () => {
    expect(PostFaults.parse(undefined)).toBeUndefined();
    expect(PostFaults.parse('')).toBeUndefined();
  });

  it('refuses the first posts of a matching frame, all to the connection that received the first', () => {
    const faults = PostFaults.parse('2:marker')!;

    expect(faults.refuses('c1', '{"text":"other"}')).toBe(false);
    expect(faults.refuses('c2', '{"text":"marker"}')).toBe(true);
    expect(faults.refuses('c3', '{"text":"marker"}')).toBe(false);
    expect(faults.refuses('c2', '{"text":"marker"}')).toBe(true);
    expect(faults.refuses('c2', '{"text":"marker"}')).toBe(false);
    expect(faults.left).toBe(0);
  });

  it('matches every frame when no text is given', () => {
    const faults = PostFaults.parse('1')!;

    expect(faults.refuses('c1', '{}')).toBe(true);
    expect(faults.refuses('c1', '{}')).toBe(false);
  });

  it('refuses a malformed setting', () => {
    expect(() => PostFaults.parse('many')).toThrow(/PARLEY_FAIL_POSTS/);
    expect(() => PostFaults.parse('0:x')).toThrow(/PARLEY_FAIL_POSTS/);
  });
});
