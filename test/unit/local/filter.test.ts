import { describe, expect, it } from 'vitest';
import { matchesFilters } from '../../../scripts/local/event-sources/filter';

const insert = (entity: string, extra: Record<string, unknown> = {}) => ({
  eventName: 'INSERT',
  dynamodb: { NewImage: { entity: { S: entity }, ...extra } },
});

describe('matchesFilters', () => {
  it('lets every record through when there is no pattern', () => {
    expect(matchesFilters([], insert('message'))).toBe(true);
  });

  it('matches nested literal values', () => {
    const patterns = [{ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['message'] } } } }];

    expect(matchesFilters(patterns, insert('message'))).toBe(true);
    expect(matchesFilters(patterns, insert('dedupe'))).toBe(false);
    expect(matchesFilters(patterns, { ...insert('message'), eventName: 'REMOVE' })).toBe(false);
  });

  it('passes a record that matches any one of several patterns', () => {
    const patterns = [{ eventName: ['REMOVE'] }, { eventName: ['INSERT'] }];

    expect(matchesFilters(patterns, insert('x'))).toBe(true);
    expect(matchesFilters(patterns, { eventName: 'MODIFY' })).toBe(false);
  });

  it('supports prefix, anything-but, numeric and exists', () => {
    const record = insert('message', { size: { N: '12' } });

    expect(matchesFilters([{ dynamodb: { NewImage: { entity: { S: [{ prefix: 'mess' }] } } } }], record)).toBe(true);
    expect(matchesFilters([{ dynamodb: { NewImage: { entity: { S: [{ 'anything-but': ['message'] }] } } } }], record)).toBe(false);
    expect(matchesFilters([{ dynamodb: { NewImage: { size: { N: [{ numeric: ['>', 10, '<=', 12] }] } } } }], record)).toBe(true);
    expect(matchesFilters([{ dynamodb: { NewImage: { size: { N: [{ numeric: ['<', 10] }] } } } }], record)).toBe(false);
    expect(matchesFilters([{ dynamodb: { OldImage: [{ exists: false }] } }], record)).toBe(true);
    expect(matchesFilters([{ dynamodb: { OldImage: [{ exists: true }] } }], record)).toBe(false);
  });

  it('matches an SQS body as JSON when it is JSON', () => {
    const patterns = [{ body: { kind: ['task'] } }];

    expect(matchesFilters(patterns, { messageId: '1', body: '{"kind":"task"}' })).toBe(true);
    expect(matchesFilters(patterns, { messageId: '2', body: '{"kind":"other"}' })).toBe(false);
    expect(matchesFilters(patterns, { messageId: '3', body: 'task' })).toBe(false);
  });
});
