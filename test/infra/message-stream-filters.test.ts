import { describe, expect, it } from 'vitest';
import { MODERATION_STATES, READABLE_STATES } from '../../lambdas/domain/message';
import { MEMORY_STREAM_FILTERS } from '../../lib/memory-functions';
import {
  MODERATED_TEXT_FILTERS,
  MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS,
  READABLE_MODERATION,
} from '../../lib/message-stream-filters';
import { matchesFilters } from '../../scripts/local/event-sources/filter';
import { streamRecord } from './synth-parley';

const message = (moderation: string) => ({ entity: 'message', roomId: 'r1', text: 'hi', moderation });
const passes = (patterns: ReadonlyArray<Record<string, unknown>>, record: object) =>
  matchesFilters(patterns as Array<Record<string, unknown>>, record as Record<string, unknown>);

describe('the messages stream filters', () => {
  it('are built from the domain’s readable states', () => {
    expect(READABLE_MODERATION).toEqual({ S: [...READABLE_STATES] });
    expect(MODERATED_TEXT_FILTERS).toContainEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { entity: { S: ['message'] }, moderation: { S: [...READABLE_STATES] } } },
    });
    expect(MODERATED_TEXT_FILTERS).toContainEqual({
      eventName: ['MODIFY'],
      dynamodb: {
        OldImage: { entity: { S: ['message'] }, moderation: { S: ['pending'] } },
        NewImage: { moderation: { S: [...READABLE_STATES] } },
      },
    });
  });

  it('let a new message through exactly when its state is readable', () => {
    for (const state of MODERATION_STATES) {
      const readable = (READABLE_STATES as readonly string[]).includes(state);

      expect(passes(MODERATED_TEXT_FILTERS, streamRecord('INSERT', { new: message(state) }))).toBe(readable);
      expect(passes(MODERATED_TEXT_FILTERS, streamRecord('MODIFY', { old: message('pending'), new: message(state) }))).toBe(readable);
    }
  });

  it('narrow to rooms with agents on the message’s sparse flag, and leave memory’s filters without it', () => {
    for (const state of MODERATION_STATES) {
      const readable = (READABLE_STATES as readonly string[]).includes(state);
      const flagged = { ...message(state), agents: true };

      expect(passes(MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS, streamRecord('INSERT', { new: flagged }))).toBe(readable);
      expect(passes(MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS, streamRecord('INSERT', { new: message(state) }))).toBe(false);
      expect(
        passes(MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS, streamRecord('MODIFY', { old: { ...message('pending'), agents: true }, new: flagged })),
      ).toBe(readable);
    }
    expect(passes(MEMORY_STREAM_FILTERS, streamRecord('INSERT', { new: message('allowed') }))).toBe(true);
  });

  it('tell memory when a readable message stops being readable, and only then', () => {
    for (const before of MODERATION_STATES) {
      const record = streamRecord('MODIFY', { old: message(before), new: message('blocked') });

      expect(passes(MEMORY_STREAM_FILTERS, record)).toBe((READABLE_STATES as readonly string[]).includes(before));
    }
  });

  it('tell memory about a sender’s edit of a readable message, and never offer the edit to agents again', () => {
    const before = { ...message('allowed'), agents: true };
    const edited = { ...before, text: 'hi again', editedAt: '2026-12-01T10:00:00.000Z' };

    expect(passes(MEMORY_STREAM_FILTERS, streamRecord('MODIFY', { old: before, new: edited }))).toBe(true);
    expect(passes(MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS, streamRecord('MODIFY', { old: before, new: edited }))).toBe(false);
    // Without the marker, a change of a readable message that stays readable (a release's bookkeeping) is not an edit.
    expect(passes(MEMORY_STREAM_FILTERS, streamRecord('MODIFY', { old: before, new: { ...before, releasedBy: 'mo' } }))).toBe(false);
  });
});
