import { describe, expect, it } from 'vitest';
import { textBudget, utf8Length } from '../../../web/src/message-size';

describe('utf8Length', () => {
  it('counts UTF-8 bytes as Parley does, not characters', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('中文')).toBe(6);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('👨‍👩‍👧')).toBe(Buffer.byteLength('👨‍👩‍👧', 'utf8'));
    expect(utf8Length('\ud800')).toBe(Buffer.byteLength('\ud800', 'utf8'));
  });
});

describe('textBudget', () => {
  it('says nothing while the limit is far', () => {
    expect(textBudget('a'.repeat(89), 100)).toEqual({ bytes: 89, left: 11, over: false });
  });

  it('says how many bytes are left within the last tenth of the limit', () => {
    expect(textBudget('a'.repeat(90), 100)).toMatchObject({ left: 10, over: false, note: '10 bytes left' });
    expect(textBudget('a'.repeat(99), 100).note).toBe('1 byte left');
    expect(textBudget('a'.repeat(100), 100)).toMatchObject({ left: 0, over: false, note: '0 bytes left' });
  });

  it('counts multi-byte characters by their bytes: 30 emoji are 120 bytes', () => {
    const budget = textBudget('😀'.repeat(30), 4096);
    expect(budget.bytes).toBe(120);
    expect(textBudget('😀'.repeat(1000), 4096)).toMatchObject({ bytes: 4000, left: 96, note: '96 bytes left' });
  });

  it('refuses a draft over the limit, saying by how much', () => {
    expect(textBudget('中'.repeat(1366), 4096)).toEqual({
      bytes: 4098,
      left: -2,
      over: true,
      note: '2 bytes over the limit of 4,096 bytes: shorten the message to send it.',
    });
  });
});
