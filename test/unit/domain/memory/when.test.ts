import { describe, expect, it } from 'vitest';
import { askedSpan, withoutPresentWords } from '../../../../lambdas/domain/memory/when';

// Monday 9 November 2026, noon UTC.
const now = Date.parse('2026-11-09T12:00:00Z');
const span = (question: string) => {
  const found = askedSpan(question, now);
  return found && { from: new Date(found.from).toISOString(), to: new Date(found.to).toISOString(), rest: found.rest };
};

describe('askedSpan', () => {
  it('reads "last weekend" as the Saturday and Sunday just gone, and drops the words', () => {
    expect(span('What did Farah do last weekend?')).toEqual({
      from: '2026-11-07T00:00:00.000Z',
      to: '2026-11-09T00:00:00.000Z',
      rest: 'What did Farah do ?',
    });
  });

  it('reads "last week" as the Monday-to-Sunday week before this one', () => {
    expect(span('What was Chen working on last week?')).toMatchObject({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-09T00:00:00.000Z' });
  });

  it('reads yesterday, a weekday and "n days ago" as days before today', () => {
    expect(span('who called yesterday?')).toMatchObject({ from: '2026-11-08T00:00:00.000Z', to: '2026-11-09T00:00:00.000Z' });
    expect(span('what did we decide on Tuesday?')).toMatchObject({ from: '2026-11-03T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z' });
    expect(span('what did we decide on Monday?')).toMatchObject({ from: '2026-11-02T00:00:00.000Z' });
    expect(span('what broke 3 days ago?')).toMatchObject({ from: '2026-11-05T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' });
  });

  it('reads "last month" as the calendar month before this one', () => {
    expect(span('Who joined last month?')).toMatchObject({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
  });

  it('names no span for a question without a past time, or about the future', () => {
    expect(askedSpan('When did Dana move into her flat?', now)).toBeUndefined();
    expect(askedSpan('What is on next week?', now)).toBeUndefined();
  });
});

describe('withoutPresentWords', () => {
  it('drops the words that only say "around now", so "these days" does not search for days', () => {
    expect(withoutPresentWords("What are Chen's children into these days?")).toBe("What are Chen's children into ?");
    expect(withoutPresentWords('What car does Dana drive now?')).toBe('What car does Dana drive ?');
    expect(withoutPresentWords('What workshop did Caroline attend recently?')).toBe('What workshop did Caroline attend ?');
  });

  it('keeps words that merely contain them', () => {
    expect(withoutPresentWords('Is the snowplough known for nowhere?')).toBe('Is the snowplough known for nowhere?');
  });
});
