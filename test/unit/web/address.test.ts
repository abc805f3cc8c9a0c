import { describe, expect, it } from 'vitest';
import { RoomAddress, roomFromHash, roomHash, type AddressBar } from '../../../web/src/address';

/** An address bar that records what was written to it, as the browser's history would. */
const bar = (hash = ''): AddressBar & { readonly written: string[] } => {
  const written: string[] = [];
  let current = hash;
  return {
    written,
    get hash() {
      return current;
    },
    set hash(next: string) {
      current = next;
      written.push(next);
    },
    clear() {
      current = '';
      written.push('(cleared)');
    },
  };
};

describe('room addresses', () => {
  it('round-trip any room id, and name no room for other addresses', () => {
    for (const roomId of ['r-1', 'room with spaces', 'ü/ñ?#&', '01JABCDEF']) expect(roomFromHash(roomHash(roomId))).toBe(roomId);
    expect(roomFromHash('')).toBeUndefined();
    expect(roomFromHash('#/rooms')).toBeUndefined();
    expect(roomFromHash('#/room/a/b')).toBeUndefined();
    expect(roomFromHash('#/room/%E0%A4%A')).toBeUndefined();
  });
});

describe('RoomAddress', () => {
  it('moves the address to a room the client opened by itself, at once', () => {
    const address = bar(roomHash('first'));
    const follower = new RoomAddress(address);
    follower.follow('first');
    follower.follow('second');
    expect(address.hash).toBe(roomHash('second'));
    expect(address.written).toEqual([roomHash('second')]);
  });

  it('writes nothing when the address already names the open room', () => {
    const address = bar(roomHash('first'));
    const follower = new RoomAddress(address);
    follower.follow('first');
    follower.follow('first');
    expect(address.written).toEqual([]);
  });

  it('leaves a link just followed alone until the client opens its room', () => {
    const address = bar(roomHash('first'));
    const follower = new RoomAddress(address);
    follower.follow('first');
    // The person follows a link; before its hashchange is handled, a frame changes the state.
    address.hash = roomHash('second');
    address.written.length = 0;
    follower.follow('first');
    expect(address.hash).toBe(roomHash('second'));
    follower.follow('second');
    expect(address.written).toEqual([]);
  });

  it('drops the address when no room is open any more, and only then', () => {
    const address = bar(roomHash('first'));
    const follower = new RoomAddress(address);
    follower.follow('first');
    follower.follow(undefined);
    expect(address.written).toEqual(['(cleared)']);
    follower.follow(undefined);
    expect(address.written).toEqual(['(cleared)']);
  });

  it('keeps an address that names no room when the room closes', () => {
    const address = bar('#/about');
    const follower = new RoomAddress(address);
    follower.follow('first');
    expect(address.written).toEqual([roomHash('first')]);
    address.hash = '#/about';
    follower.follow(undefined);
    expect(address.hash).toBe('#/about');
    expect(address.written).toEqual([roomHash('first'), '#/about']);
  });
});
