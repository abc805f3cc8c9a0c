const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32

const encodeTime = (ms: number): string => {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i += 1) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
};

/**
 * Returns a generator of ULID-style ids: 10 characters of millisecond time and
 * 16 of randomness, so ids sort by creation time as strings. Ids made by one
 * generator within the same millisecond stay strictly increasing.
 *
 * @example
 * const nextId = createIdGenerator();
 * nextId(Date.now()); // '01JD2Z8Q4M3V9X0K7F2B6C1N8R'
 */
export function createIdGenerator(
  random: (count: number) => Uint8Array = (count) => crypto.getRandomValues(new Uint8Array(count)),
): (nowMs: number) => string {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return (nowMs: number) => {
    if (nowMs <= lastTime) {
      // Same (or a skewed earlier) millisecond: increment the random part.
      let i = lastRandom.length - 1;
      while (i >= 0 && lastRandom[i] === 31) {
        lastRandom[i] = 0;
        i -= 1;
      }
      if (i >= 0) lastRandom[i] = (lastRandom[i] ?? 0) + 1;
      else lastTime += 1; // the random part overflowed: borrow the next millisecond
      return encodeTime(lastTime) + lastRandom.map((d) => ALPHABET[d]).join('');
    }
    lastTime = nowMs;
    lastRandom = Array.from(random(16), (b) => b % 32);
    return encodeTime(nowMs) + lastRandom.map((d) => ALPHABET[d]).join('');
  };
}

/** The millisecond timestamp encoded in an id made by `createIdGenerator`. */
export function timeOfId(id: string): number {
  let t = 0;
  for (const ch of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}

/** True for strings shaped like an id from `createIdGenerator`. */
export const isMessageId = (value: string): boolean => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
