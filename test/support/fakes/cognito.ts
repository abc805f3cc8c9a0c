import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { g, modPow, multiplier, N, padHex } from '../../../web/src/auth/cognito-srp';

const hex = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex')}`);
const sha256Hex = (hexString: string) => createHash('sha256').update(Buffer.from(hexString, 'hex')).digest();

/**
 * The server side of Cognito's SRP, written with node:crypto for the test:
 * it stores the verifier for a password and checks the client's
 * PASSWORD_CLAIM_SIGNATURE the way the user pool does.
 */
export function cognitoServer(poolName: string, userId: string, password: string) {
  const salt = hex(randomBytes(16));
  const identity = createHash('sha256').update(`${poolName}${userId}:${password}`).digest('hex');
  const x = hex(sha256Hex(`${padHex(salt)}${identity}`));
  const v = modPow(g, x, N);
  const b = hex(randomBytes(128)) % N;
  const secretBlock = randomBytes(64).toString('base64');
  return {
    challenge: async () => {
      const k = await multiplier();
      const B = (k * v + modPow(g, b, N)) % N;
      return { salt: salt.toString(16), serverB: B.toString(16), secretBlock };
    },
    expectedSignature: async (A: bigint, timestamp: string) => {
      const k = await multiplier();
      const B = (k * v + modPow(g, b, N)) % N;
      const u = hex(sha256Hex(`${padHex(A)}${padHex(B)}`));
      const S = modPow((A * modPow(v, u, N)) % N, b, N);
      const key = Buffer.from(
        hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16),
      );
      return createHmac('sha256', key)
        .update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]))
        .digest('base64');
    },
  };
}

