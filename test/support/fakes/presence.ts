import type { PresenceRepository, ReadStateRepository } from '../../../lambdas/domain/presence/ports';
import { isOnline, type PresenceState } from '../../../lambdas/domain/presence/presence';
import type { ReadState } from '../../../lambdas/domain/presence/read-state';

const TTL_MS = 3 * 60 * 60 * 1000;
const SINCE_SLACK_MS = 30_000;

/** Presence counts in memory, with the DynamoDB adapter's rules (restart, since, version claims). */
export class FakePresence implements PresenceRepository {
  readonly states = new Map<string, PresenceState & { since: number }>();
  readonly claims: Array<{ userId: string; online: boolean }> = [];

  async countConnection(userId: string, connectedAtMs: number, nowMs: number): Promise<PresenceState> {
    const current = this.states.get(userId);
    const restart = !current || current.expiresAtMs < nowMs || current.connections <= 0;
    const next = {
      userId,
      connections: restart ? 1 : current.connections + 1,
      version: (current?.version ?? 0) + 1,
      announced: current?.announced ?? false,
      ...(current?.tat !== undefined ? { tat: current.tat } : {}),
      expiresAtMs: nowMs + TTL_MS,
      since: restart ? connectedAtMs - SINCE_SLACK_MS : current.since,
    };
    this.states.set(userId, next);
    return next;
  }

  async uncountConnection(userId: string, connectedAtMs: number): Promise<PresenceState | undefined> {
    const current = this.states.get(userId);
    if (!current || current.connections <= 0 || current.since > connectedAtMs) return undefined;
    const next = { ...current, connections: current.connections - 1, version: current.version + 1 };
    this.states.set(userId, next);
    return next;
  }

  async claimAnnouncement(userId: string, version: number, online: boolean, tat: number): Promise<boolean> {
    const current = this.states.get(userId);
    if (!current || current.version !== version) return false;
    this.states.set(userId, { ...current, announced: online, tat });
    this.claims.push({ userId, online });
    return true;
  }

  async onlineUsers(userIds: readonly string[], nowMs: number): Promise<Set<string>> {
    return new Set(userIds.filter((id) => isOnline(this.states.get(id), nowMs)));
  }
}

/** Read marks in memory; a mark never moves back. */
export class FakeReadStates implements ReadStateRepository {
  readonly marks = new Map<string, ReadState>();

  async markRead(userId: string, state: ReadState) {
    const key = `${userId}|${state.roomId}`;
    const stored = this.marks.get(key);
    if (stored && stored.messageId >= state.messageId) return { moved: false, state: stored };
    this.marks.set(key, state);
    return { moved: true, state };
  }

  async readStates(userId: string, roomIds: readonly string[]) {
    return roomIds.flatMap((roomId) => {
      const mark = this.marks.get(`${userId}|${roomId}`);
      return mark ? [mark] : [];
    });
  }
}
