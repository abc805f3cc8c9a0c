/** The address of a room in the web client: `#/room/<id>`. */
export const roomHash = (roomId: string): string => `#/room/${encodeURIComponent(roomId)}`;

/** The room an address names, or undefined for any other address (and for a malformed id). */
export const roomFromHash = (hash: string): string | undefined => {
  const match = /^#\/room\/([^/]+)$/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    return undefined;
  }
};

/** What the address bar needs: its hash, and a way to drop it without a history entry. */
export interface AddressBar {
  hash: string;
  clear(): void;
}

/**
 * Keeps the address bar on the open room. People open rooms through the
 * address (a room's link, back and forward); the client also opens rooms
 * by itself (one just created or joined). When the open room changes, the
 * address follows at once, so it never names the room before: a link to
 * that room would then match the address, the browser would fire no
 * `hashchange`, and the click would do nothing. Only a change of the open
 * room moves the address, so a link followed a moment ago (its
 * `hashchange` not handled yet) is not undone by an unrelated frame.
 */
export class RoomAddress {
  private shown: string | undefined;

  constructor(private readonly bar: AddressBar) {}

  follow(activeRoomId: string | undefined): void {
    if (activeRoomId === this.shown) return;
    this.shown = activeRoomId;
    const named = roomFromHash(this.bar.hash);
    // No room open any more (left, deleted): the address no longer names it.
    if (activeRoomId === undefined) {
      if (named !== undefined) this.bar.clear();
      return;
    }
    if (named !== activeRoomId) this.bar.hash = roomHash(activeRoomId);
  }
}
