import { describe, expect, it } from 'vitest';
import { FrameSizeWatcher } from '../../../scripts/local/gateway/frame-size-watcher';

/** A masked client frame (text, FIN set) with a payload of `size` bytes, as a browser sends it. */
function clientFrame(size: number, options: { fin?: boolean; opcode?: number } = {}): Uint8Array {
  const first = ((options.fin ?? true) ? 0x80 : 0) | (options.opcode ?? 0x1);
  const length =
    size < 126 ? [0x80 | size]
    : size < 65_536 ? [0x80 | 126, size >> 8, size & 0xff]
    : [0x80 | 127, 0, 0, 0, 0, (size >>> 24) & 0xff, (size >> 16) & 0xff, (size >> 8) & 0xff, size & 0xff];
  const frame = new Uint8Array(1 + length.length + 4 + size);
  frame.set([first, ...length, 1, 2, 3, 4]);
  frame.fill(0x61, 1 + length.length + 4);
  return frame;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
};

describe('FrameSizeWatcher', () => {
  const LIMIT = 32 * 1024;

  it('lets frames up to the limit through, whatever their length encoding', () => {
    const watcher = new FrameSizeWatcher(LIMIT);
    expect(watcher.push(concat(clientFrame(5), clientFrame(300), clientFrame(LIMIT)))).toBeUndefined();
  });

  it('finds a frame over the limit from its header alone', () => {
    const watcher = new FrameSizeWatcher(LIMIT);
    const oversized = clientFrame(LIMIT + 1);
    expect(watcher.push(oversized.subarray(0, 8))).toBe(LIMIT + 1);
  });

  it('reads 64-bit lengths', () => {
    const watcher = new FrameSizeWatcher(LIMIT);
    expect(watcher.push(clientFrame(70_000).subarray(0, 14))).toBe(70_000);
  });

  it('keeps its place when headers and payloads are split across chunks at any byte', () => {
    const stream = concat(clientFrame(40), clientFrame(20_000, { fin: false }), clientFrame(12_000, { opcode: 0 }), clientFrame(LIMIT + 10));
    const oversizedAt = stream.length - (LIMIT + 10) - 8; // where the last frame's header starts
    for (const size of [1, 3, 7, 4096]) {
      const watcher = new FrameSizeWatcher(LIMIT);
      let found: number | undefined;
      let foundAfter = 0;
      for (let at = 0; at < stream.length && found === undefined; at += size) {
        found = watcher.push(stream.subarray(at, at + size));
        foundAfter = Math.min(at + size, stream.length);
      }
      expect(found).toBe(LIMIT + 10);
      expect(foundAfter).toBeGreaterThan(oversizedAt);
      expect(foundAfter).toBeLessThanOrEqual(oversizedAt + 8 + size);
    }
  });

  it('accepts a large message sent in frames under the limit', () => {
    const watcher = new FrameSizeWatcher(LIMIT);
    const fragments = [clientFrame(LIMIT, { fin: false }), clientFrame(LIMIT, { fin: false, opcode: 0 }), clientFrame(100, { opcode: 0 })];
    expect(watcher.push(concat(...fragments))).toBeUndefined();
  });
});
