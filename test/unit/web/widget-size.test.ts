import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidget } from '../../../web/build';

/** The budget for the embeddable widget, gzipped. */
const MAX_GZIPPED_BYTES = 30 * 1024;

describe('the widget bundle', () => {
  it('stays within 30 KB gzipped', () => {
    const bundle = buildWidget({ minify: true });

    const gzipped = gzipSync(bundle, { level: 9 }).byteLength;

    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(MAX_GZIPPED_BYTES);
  });

  it('is a classic script that defines no globals', () => {
    const text = new TextDecoder().decode(buildWidget({ minify: true }));

    expect(text.replace(/^"use strict";/, '').trimStart().startsWith('(()=>{')).toBe(true);
    expect(text).not.toMatch(/^\s*(import|export)\s/m);
  });
});
