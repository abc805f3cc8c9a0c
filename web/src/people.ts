import type { ChatClient, Transport } from './client';
import { DisconnectedError, RequestError } from './connection';
import { allPages } from './pages';
import type { Invitation } from './invitations';
import type { Membership, Room } from './protocol';
import type { PersonSummary } from '../../lambdas/domain/people/profile';
import type { Profile } from '../../lambdas/domain/people/profile';
import { t } from './i18n';

export type { PersonSummary, Profile };

/** How long the invite form waits after the last keystroke before it searches. */
export const SEARCH_DEBOUNCE_MS = 250;
/** How many people one search shows. */
export const SEARCH_LIMIT = 8;

const reason = (error: unknown): string =>
  error instanceof RequestError || error instanceof DisconnectedError ? error.message : t().errors.somethingWrong;

/**
 * People and invitations in the browser: who the person is, finding others
 * by name, and the invitations addressed to them. Outcomes go through the
 * chat client's reducer, like every other action.
 */
export class PeopleClient {
  constructor(
    private readonly client: Pick<ChatClient, 'dispatch' | 'notify' | 'state' | 'openRoom'>,
    private readonly transport: Transport,
  ) {}

  /** Runs on every (re)connect: the person's profile and their pending invitations. */
  async resume(): Promise<void> {
    await Promise.all([this.whoami(), this.loadInvitations()]);
  }

  async whoami(): Promise<Profile | undefined> {
    try {
      const { profile } = await this.transport.request<{ profile: Profile }>('whoami');
      if (profile.displayName !== this.client.state.me.displayName) {
        this.client.dispatch({ type: 'displayNameChanged', displayName: profile.displayName });
      }
      return profile;
    } catch {
      // An older deployment without profiles: the id from the token is still shown.
      return undefined;
    }
  }

  async loadInvitations(): Promise<void> {
    try {
      const invitations = await allPages(async (cursor) => {
        const page = await this.transport.request<{ invitations: Invitation[]; nextCursor?: string }>('listInvitations', {
          ...(cursor !== undefined ? { cursor } : {}),
        });
        return { items: page.invitations, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
      });
      this.client.dispatch({ type: 'invitationsListed', invitations });
    } catch (error) {
      if (error instanceof RequestError && error.code === 'UNKNOWN_ACTION') return;
      if (!(error instanceof DisconnectedError)) this.client.notify(t().invitations.listFailed(reason(error)));
    }
  }

  /** Joins the room; the `roomAdded` frame lists it on every tab, this one opens it. */
  async accept(invitation: Invitation): Promise<boolean> {
    try {
      const { membership } = await this.transport.request<{ membership: Membership }>('acceptInvitation', { roomId: invitation.roomId });
      const room: Room = this.client.state.rooms.get(invitation.roomId) ?? {
        roomId: invitation.roomId,
        name: invitation.roomName,
        visibility: 'private',
        ownerId: invitation.invitedBy,
        createdAt: invitation.invitedAt,
      };
      this.client.dispatch({ type: 'invitationSettled', roomId: invitation.roomId });
      this.client.dispatch({ type: 'roomJoined', room, membership });
      return true;
    } catch (error) {
      this.client.notify(t().invitations.acceptFailed(reason(error)));
      // Gone meanwhile (expired, withdrawn): the list shows what is left.
      if (error instanceof RequestError && error.code === 'NOT_FOUND') this.client.dispatch({ type: 'invitationSettled', roomId: invitation.roomId });
      return false;
    }
  }

  async decline(invitation: Invitation): Promise<boolean> {
    try {
      await this.transport.request('declineInvitation', { roomId: invitation.roomId });
      this.client.dispatch({ type: 'invitationSettled', roomId: invitation.roomId });
      return true;
    } catch (error) {
      this.client.notify(t().invitations.declineFailed(reason(error)));
      if (error instanceof RequestError && error.code === 'NOT_FOUND') this.client.dispatch({ type: 'invitationSettled', roomId: invitation.roomId });
      return false;
    }
  }

  /** The room's pending invitations (owners and moderators); undefined (with a notice) when refused. */
  async roomInvitations(roomId: string): Promise<Invitation[] | undefined> {
    try {
      return await allPages(async (cursor) => {
        const page = await this.transport.request<{ invitations: Invitation[]; nextCursor?: string }>('listRoomInvitations', {
          roomId,
          ...(cursor !== undefined ? { cursor } : {}),
        });
        return { items: page.invitations, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
      });
    } catch (error) {
      this.client.notify(t().invitations.roomListFailed(reason(error)), 'error', roomId);
      return undefined;
    }
  }

  /** Withdraws an invitation to the room; the invitee's tabs hear it at once. */
  async revoke(roomId: string, userId: string): Promise<boolean> {
    try {
      await this.transport.request('revokeInvitation', { roomId, userId });
      this.client.notify(t().invitations.withdrawn, 'info', roomId);
      return true;
    } catch (error) {
      this.client.notify(t().invitations.withdrawFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  /** People whose name starts with `query`; none for a query Parley would refuse. */
  async findUsers(query: string): Promise<PersonSummary[]> {
    const trimmed = query.trim();
    if (trimmed === '' || trimmed.includes('@')) return [];
    const { users } = await this.transport.request<{ users: PersonSummary[] }>('findUsers', { query: trimmed.slice(0, 64), limit: SEARCH_LIMIT });
    return users;
  }
}

/** Timers, injectable so tests control time. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Search as you type: waits until typing pauses, then searches, and reports
 * only the answer to the latest query (an earlier, slower answer is dropped).
 */
export class PersonSearch {
  private timer: unknown;
  private latest = 0;

  constructor(
    private readonly search: (query: string) => Promise<PersonSummary[]>,
    private readonly onResults: (query: string, people: PersonSummary[] | 'failed') => void,
    private readonly timers: Timers = browserTimers,
    private readonly delayMs = SEARCH_DEBOUNCE_MS,
  ) {}

  /** The text in the box changed. */
  typed(query: string): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    const ticket = ++this.latest;
    if (query.trim() === '') {
      this.timer = undefined;
      this.onResults(query, []);
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.search(query).then(
        (people) => ticket === this.latest && this.onResults(query, people),
        () => ticket === this.latest && this.onResults(query, 'failed'),
      );
    }, this.delayMs);
  }

  /** Stops a pending search (the form was submitted or closed). */
  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.latest += 1;
  }
}
