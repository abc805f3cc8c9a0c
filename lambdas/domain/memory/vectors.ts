/**
 * Compact embeddings: a unit-length vector stored as one signed byte per
 * dimension (value × 127), base64-encoded. 256 dimensions take 344
 * characters on a window item instead of several KB of DynamoDB numbers, and
 * cosine similarity survives the rounding well enough to rank passages.
 */
export function quantize(values: readonly number[]): string {
  const norm = Math.hypot(...values) || 1;
  const bytes = Int8Array.from(values, (v) => Math.max(-127, Math.min(127, Math.round((v / norm) * 127))));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function dequantize(encoded: string): Int8Array {
  const bytes = Buffer.from(encoded, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Cosine similarity of two quantized vectors, in [-1, 1]; 0 when their sizes differ. */
export function similarity(a: Int8Array, b: Int8Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
