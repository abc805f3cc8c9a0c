import { roomModeOf } from '../../lambdas/domain/games/modes';
import { ROOM_MODES, type Room, type RoomMode } from '../../lambdas/domain/types';
import { t } from './i18n';

/**
 * Room modes in the browser (docs/web.md, "Game rooms"): a room's mode,
 * its name and the notice everyone reads before joining, in the language in
 * use. The rule (absent means chat) and the modes are Parley's own.
 */
export { ROOM_MODES, type RoomMode };

/** A room's mode; a room not known yet counts as chat. */
export const modeOf = (room: Pick<Room, 'mode'> | undefined): RoomMode => (room === undefined ? 'chat' : roomModeOf(room));

export const modeName = (mode: RoomMode): string => t().modes.names[mode];

/** The mode an invitation names (`roomMode`, absent for chat rooms and from servers that do not send it). */
export const invitationModeOf = (invitation: { readonly roomName: string; readonly roomMode?: RoomMode }): RoomMode => modeOf({ mode: invitation.roomMode });

/** What the mode tells people before they join; the imposter's is the consent that a hidden AI plays. */
export const modeNotice = (mode: RoomMode): string => t().modes.notices[mode];

/** A game room's mode, for a tag beside its name; undefined for chat rooms, which need none. */
export const gameModeTag = (room: Pick<Room, 'mode'>): string | undefined => {
  const mode = modeOf(room);
  return mode === 'chat' ? undefined : modeName(mode);
};
