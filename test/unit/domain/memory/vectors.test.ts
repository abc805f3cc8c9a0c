import { describe, expect, it } from 'vitest';
import { dequantize, quantize, similarity } from '../../../../lambdas/domain/memory/vectors';

describe('quantize / similarity', () => {
  it('stores one byte per dimension and keeps cosine similarity close', () => {
    const a = [0.3, -0.5, 0.8, 0.1];
    const b = [0.25, -0.4, 0.9, 0.0];
    const exact =
      a.reduce((s, x, i) => s + x * (b[i] as number), 0) / (Math.hypot(...a) * Math.hypot(...b));

    const qa = dequantize(quantize(a));
    const qb = dequantize(quantize(b));

    expect(qa).toHaveLength(4);
    expect(similarity(qa, qb)).toBeCloseTo(exact, 2);
  });

  it('scores identical vectors 1 and opposite ones -1', () => {
    const v = dequantize(quantize([1, 2, 3]));
    const minus = dequantize(quantize([-1, -2, -3]));

    expect(similarity(v, v)).toBeCloseTo(1, 5);
    expect(similarity(v, minus)).toBeCloseTo(-1, 5);
  });

  it('scores 0 for vectors of different sizes or all zeros', () => {
    expect(similarity(dequantize(quantize([1, 0])), dequantize(quantize([1, 0, 0])))).toBe(0);
    expect(similarity(dequantize(quantize([0, 0])), dequantize(quantize([1, 0])))).toBe(0);
  });
});
