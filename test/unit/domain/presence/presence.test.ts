import { describe, expect, it } from 'vitest';
import { decidePresence, isOnline, PRESENCE_ANNOUNCEMENTS, type PresenceState } from '../../../../lambdas/domain/presence/presence';

const NOW = Date.UTC(2026, 11, 6, 12);
const state = (overrides: Partial<PresenceState>): PresenceState => ({
  userId: 'u-bob',
  connections: 1,
  version: 1,
  announced: false,
  expiresAtMs: NOW + 60_000,
  ...overrides,
});

describe('isOnline', () => {
  it('is true while the count is above zero and not expired', () => {
    expect(isOnline(state({ connections: 2 }), NOW)).toBe(true);
  });

  it('is false for no count, a zero count or an expired one', () => {
    expect(isOnline(undefined, NOW)).toBe(false);
    expect(isOnline(state({ connections: 0 }), NOW)).toBe(false);
    expect(isOnline(state({ connections: 3, expiresAtMs: NOW - 1 }), NOW)).toBe(false);
  });
});

describe('decidePresence', () => {
  it('announces a first connection', () => {
    expect(decidePresence(state({ connections: 1, announced: false }), NOW)).toEqual({
      kind: 'announce',
      online: true,
      tat: NOW + 15_000,
    });
  });

  it('says nothing for a second tab, nor for closing one of two', () => {
    expect(decidePresence(state({ connections: 2, announced: true }), NOW)).toEqual({ kind: 'unchanged' });
    expect(decidePresence(state({ connections: 1, announced: true }), NOW)).toEqual({ kind: 'unchanged' });
  });

  it('announces the last connection closing', () => {
    expect(decidePresence(state({ connections: 0, announced: true }), NOW)).toMatchObject({ kind: 'announce', online: false });
  });

  it('holds a change once a flapping user has spent the burst, and lets it through after the interval', () => {
    let current = state({ connections: 0, announced: false });
    const kinds: string[] = [];
    for (let flap = 0; flap < PRESENCE_ANNOUNCEMENTS.burst + 1; flap += 1) {
      current = { ...current, connections: current.connections === 1 ? 0 : 1 };
      const decision = decidePresence(current, NOW);
      kinds.push(decision.kind);
      if (decision.kind === 'announce') current = { ...current, announced: decision.online, tat: decision.tat };
    }

    expect(kinds).toEqual(['announce', 'announce', 'announce', 'announce', 'held']);
    expect(decidePresence(current, NOW + 15_000)).toMatchObject({ kind: 'announce', online: true });
  });

  it('says nothing when a held change is undone before it could be announced', () => {
    const spent = { tat: NOW + 4 * 15_000 };
    expect(decidePresence(state({ connections: 0, announced: true, ...spent }), NOW).kind).toBe('held');
    expect(decidePresence(state({ connections: 1, announced: true, ...spent }), NOW).kind).toBe('unchanged');
  });
});
