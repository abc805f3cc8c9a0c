/**
 * The client side of Cognito's Secure Remote Password sign-in
 * (USER_SRP_AUTH → PASSWORD_VERIFIER): SRP-6a over the 3072-bit MODP group
 * of RFC 3526 with SHA-256, the password never leaving the browser. Built on
 * BigInt and WebCrypto, so the client needs no crypto library; it follows
 * the algorithm of AWS's own client (amazon-cognito-identity-js).
 */

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

const encoder = new TextEncoder();

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * The hex form SRP hashes: even length, and a leading 00 when the first
 * bit is set, so the bytes read as a positive number (Java's BigInteger
 * encoding, which Cognito uses).
 */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

export const hexToBytes = (hex: string): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
};

const bytesToHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const base64ToBytes = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const bytesToBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

const sha256 = async (data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', data));

const hmacSha256 = async (key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> => {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, data));
};

/** SHA-256 of the bytes a hex string spells, as a hex number. */
const hexHash = async (hex: string): Promise<bigint> => BigInt(`0x${bytesToHex(await sha256(hexToBytes(hex)))}`);

/** The multiplier k = H(N | g). */
export const multiplier = (): Promise<bigint> => hexHash(`${padHex(N)}${padHex(g)}`);

/** The date format Cognito signs: `Tue Nov 3 09:05:07 UTC 2026` (day not padded). */
export function srpTimestamp(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** The client's ephemeral pair: secret `a`, public `A = g^a mod N`. */
export interface SrpClientKeys {
  readonly a: bigint;
  readonly A: bigint;
}

export function createClientKeys(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): SrpClientKeys {
  for (;;) {
    const a = BigInt(`0x${bytesToHex(randomBytes(128))}`) % N;
    const A = modPow(g, a, N);
    if (a !== 0n && A % N !== 0n) return { a, A };
  }
}

export interface PasswordVerifierChallenge {
  /** The pool id's part after the underscore. */
  readonly poolName: string;
  /** USER_ID_FOR_SRP from the challenge: the user's name in the pool. */
  readonly userIdForSrp: string;
  readonly password: string;
  /** SRP_B, hex. */
  readonly serverB: string;
  /** SALT, hex. */
  readonly salt: string;
  /** SECRET_BLOCK, base64, signed as given. */
  readonly secretBlock: string;
  readonly timestamp: string;
}

/**
 * PASSWORD_CLAIM_SIGNATURE: proves knowledge of the password by signing the
 * challenge with the session key both sides derive.
 */
export async function passwordClaimSignature(keys: SrpClientKeys, challenge: PasswordVerifierChallenge): Promise<string> {
  const B = BigInt(`0x${challenge.serverB}`);
  if (B % N === 0n) throw new Error('The server sent an invalid SRP value.');
  const u = await hexHash(`${padHex(keys.A)}${padHex(B)}`);
  if (u === 0n) throw new Error('The server sent an invalid SRP value.');

  const identityHash = bytesToHex(
    await sha256(encoder.encode(`${challenge.poolName}${challenge.userIdForSrp}:${challenge.password}`)),
  );
  const x = await hexHash(`${padHex(BigInt(`0x${challenge.salt}`))}${identityHash}`);
  const k = await multiplier();
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, keys.a + u * x, N);

  // HKDF-SHA256 (RFC 5869), one block: salt u, key material S, info "Caldera Derived Key", 16 bytes.
  const prk = await hmacSha256(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
  const okm = await hmacSha256(prk, concat(encoder.encode('Caldera Derived Key'), Uint8Array.of(1)));
  const key = okm.slice(0, 16);

  const message = concat(
    encoder.encode(challenge.poolName),
    encoder.encode(challenge.userIdForSrp),
    base64ToBytes(challenge.secretBlock),
    encoder.encode(challenge.timestamp),
  );
  return bytesToBase64(await hmacSha256(key, message));
}
