import type { Ban } from '../../lambdas/domain/types';
import type { ChatClient, Transport } from './client';
import { DisconnectedError, RequestError } from './connection';
import { t } from './i18n';
import { allPages } from './pages';
import type { Membership, Room } from './protocol';

/** The settings an owner changes (docs/protocol.md, updateRoom). */
type GuestAccess = NonNullable<Room['guestAccess']>;

export interface RoomSettingsChange {
  readonly name?: string;
  readonly topic?: string;
  readonly visibility?: Room['visibility'];
  readonly preview?: boolean;
  readonly shareMessageTextInEvents?: boolean;
  readonly guestAccess?: GuestAccess;
}

/** What the settings form holds. */
export interface RoomSettingsForm {
  readonly name: string;
  readonly topic: string;
  readonly visibility: Room['visibility'];
  readonly preview: boolean;
  readonly shareMessageTextInEvents: boolean;
  /** Absent: the form does not offer it. */
  readonly guestAccess?: GuestAccess;
}

/**
 * The settings the form changes, and only those: trimmed, an emptied name
 * ignored (a room always has one), an emptied topic cleared.
 */
export function settingsChange(room: Room, form: RoomSettingsForm): RoomSettingsChange {
  const name = form.name.trim();
  const topic = form.topic.trim();
  return {
    ...(name !== '' && name !== room.name ? { name } : {}),
    ...(topic !== (room.topic ?? '') ? { topic } : {}),
    ...(form.visibility !== room.visibility ? { visibility: form.visibility } : {}),
    ...(form.preview !== (room.preview ?? true) ? { preview: form.preview } : {}),
    ...(form.shareMessageTextInEvents !== (room.shareMessageTextInEvents ?? false)
      ? { shareMessageTextInEvents: form.shareMessageTextInEvents }
      : {}),
    ...(form.guestAccess !== undefined && form.guestAccess !== (room.guestAccess ?? 'off') ? { guestAccess: form.guestAccess } : {}),
  };
}

/** One page of the public directory's search. */
export interface DirectoryPage {
  readonly rooms: readonly Room[];
  readonly nextCursor?: string;
}

const reason = (error: unknown): string =>
  error instanceof RequestError || error instanceof DisconnectedError ? error.message : t().errors.somethingWrong;

/**
 * Room administration from the browser: settings, deletion, ownership and
 * bans, and the directory search. Parley's frames (roomUpdated, roomRemoved,
 * roomEvent) keep every tab in step; each action also applies its own
 * outcome at once, so the person who acted sees it without waiting.
 */
export class RoomAdmin {
  constructor(
    private readonly client: ChatClient,
    private readonly transport: Transport,
  ) {}

  /** Resolves true once saved. */
  async update(roomId: string, change: RoomSettingsChange): Promise<boolean> {
    try {
      const { room, changed } = await this.transport.request<{ room: Room; changed: string[] }>('updateRoom', { roomId, ...change });
      this.client.dispatch({ type: 'frame', frame: { type: 'roomUpdated', room } });
      this.client.notify(changed.length === 0 ? t().roomAdmin.nothingToChange : t().roomAdmin.saved, 'info', roomId);
      return true;
    } catch (error) {
      this.client.notify(t().roomAdmin.saveFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  /** Deletes the room for good; `confirm` repeats its name. */
  async remove(roomId: string, confirm: string): Promise<boolean> {
    try {
      await this.transport.request('deleteRoom', { roomId, confirm });
      this.client.dispatch({ type: 'frame', frame: { type: 'roomRemoved', roomId, reason: 'deleted' } });
      return true;
    } catch (error) {
      this.client.notify(t().roomAdmin.deleteFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  async transfer(roomId: string, userId: string): Promise<boolean> {
    try {
      const { room, owner, former } = await this.transport.request<{ room: Room; owner: Membership; former: Membership }>(
        'transferOwnership',
        { roomId, userId },
      );
      const by = this.client.state.me.userId;
      for (const member of [owner, former]) {
        this.client.dispatch({ type: 'frame', frame: { type: 'roomEvent', roomId, event: { kind: 'roleChanged', member, by } } });
      }
      this.client.dispatch({ type: 'frame', frame: { type: 'roomUpdated', room } });
      this.client.notify(t().roomAdmin.transferred(owner.displayName || owner.userId), 'info', roomId);
      return true;
    } catch (error) {
      this.client.notify(t().roomAdmin.transferFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  async ban(roomId: string, userId: string, why?: string): Promise<boolean> {
    try {
      await this.transport.request('banMember', { roomId, userId, ...(why ? { reason: why } : {}) });
      const by = this.client.state.me.userId;
      this.client.dispatch({ type: 'frame', frame: { type: 'roomEvent', roomId, event: { kind: 'memberRemoved', userId, by } } });
      this.client.notify(t().roomAdmin.banned(userId), 'info', roomId);
      return true;
    } catch (error) {
      this.client.notify(t().roomAdmin.banFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  async unban(roomId: string, userId: string): Promise<boolean> {
    try {
      await this.transport.request('unbanMember', { roomId, userId });
      this.client.notify(t().roomAdmin.unbanned(userId), 'info', roomId);
      return true;
    } catch (error) {
      this.client.notify(t().roomAdmin.unbanFailed(reason(error)), 'error', roomId);
      return false;
    }
  }

  /** Every ban of the room; undefined (with a notice) when refused. */
  async bans(roomId: string): Promise<Ban[] | undefined> {
    try {
      return await allPages(async (cursor) => {
        const page = await this.transport.request<{ items: Ban[]; nextCursor?: string }>('listBans', {
          roomId,
          ...(cursor !== undefined ? { cursor } : {}),
        });
        return page;
      });
    } catch (error) {
      this.client.notify(t().roomAdmin.bansFailed(reason(error)), 'error', roomId);
      return undefined;
    }
  }

  /** One page of public rooms whose name starts with `query`; undefined (with a notice) when refused. */
  async search(query: string, cursor?: string): Promise<DirectoryPage | undefined> {
    try {
      return await this.transport.request<DirectoryPage>('searchRooms', { query, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (error) {
      this.client.notify(t().roomAdmin.searchFailed(reason(error)));
      return undefined;
    }
  }
}
