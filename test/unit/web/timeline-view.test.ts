import { describe, expect, it } from 'vitest';
import { shouldLoadOlder, type PagingCheck } from '../../../web/src/ui/timeline-view';

/** A reader at the top of a settled log with older pages left, and a reason to look. */
const atTop: PagingCheck = { settled: true, history: 'partial', loading: false, armed: true, nearTop: true };

describe('shouldLoadOlder', () => {
  it('asks for the next older page when the reader is at the top', () => {
    expect(shouldLoadOlder(atTop)).toBe(true);
  });

  it('does not ask before the log has settled at its newest message, so opening a room loads one page', () => {
    expect(shouldLoadOlder({ ...atTop, settled: false })).toBe(false);
  });

  it('does not ask while a page is on its way', () => {
    expect(shouldLoadOlder({ ...atTop, loading: true })).toBe(false);
  });

  it('does not ask once the beginning is reached, nor before the first page', () => {
    expect(shouldLoadOlder({ ...atTop, history: 'complete' })).toBe(false);
    expect(shouldLoadOlder({ ...atTop, history: 'unloaded' })).toBe(false);
  });

  it('does not ask when the top is out of reach', () => {
    expect(shouldLoadOlder({ ...atTop, nearTop: false })).toBe(false);
  });

  it('does not ask again with nothing new to go on, so a failed request is not repeated forever', () => {
    expect(shouldLoadOlder({ ...atTop, armed: false })).toBe(false);
  });
});
