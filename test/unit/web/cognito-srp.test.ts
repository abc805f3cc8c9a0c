import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClientKeys, g, N, padHex, passwordClaimSignature, srpTimestamp } from '../../../web/src/auth/cognito-srp';
import { cognitoServer } from '../../support/fakes/cognito';

describe('Cognito SRP', () => {
  it('uses the 3072-bit MODP group of RFC 3526 with generator 2', () => {
    expect(N.toString(16).toUpperCase()).toBe(getDiffieHellman('modp15').getPrime('hex').toUpperCase());
    expect(g).toBe(2n);
  });

  it('pads hex to whole bytes, with a leading zero byte when the high bit is set', () => {
    expect(padHex(0xabcn)).toBe('0abc');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0xf00n)).toBe('0f00');
  });

  it('formats the timestamp Cognito signs, with an unpadded day and padded time', () => {
    expect(srpTimestamp(new Date(Date.UTC(2026, 10, 3, 9, 5, 7)))).toBe('Tue Nov 3 09:05:07 UTC 2026');
    expect(srpTimestamp(new Date(Date.UTC(2027, 0, 31, 23, 59, 0)))).toBe('Sun Jan 31 23:59:00 UTC 2027');
  });

  it('signs a challenge the way the user pool verifies it', async () => {
    const server = cognitoServer('AbCdEf123', 'user-7f3c', 'Correct-Horse-42!');
    const keys = createClientKeys();
    const timestamp = srpTimestamp(new Date());

    const signature = await passwordClaimSignature(keys, {
      poolName: 'AbCdEf123',
      userIdForSrp: 'user-7f3c',
      password: 'Correct-Horse-42!',
      ...(await server.challenge()),
      timestamp,
    });

    expect(signature).toBe(await server.expectedSignature(keys.A, timestamp));
  });

  it('produces a different signature for a wrong password', async () => {
    const server = cognitoServer('AbCdEf123', 'user-7f3c', 'Correct-Horse-42!');
    const keys = createClientKeys();
    const timestamp = srpTimestamp(new Date());

    const signature = await passwordClaimSignature(keys, {
      poolName: 'AbCdEf123',
      userIdForSrp: 'user-7f3c',
      password: 'wrong',
      ...(await server.challenge()),
      timestamp,
    });

    expect(signature).not.toBe(await server.expectedSignature(keys.A, timestamp));
  });

  it('refuses a server value that is zero modulo N', async () => {
    const keys = createClientKeys();

    await expect(
      passwordClaimSignature(keys, {
        poolName: 'p',
        userIdForSrp: 'u',
        password: 'x',
        serverB: N.toString(16),
        salt: '01',
        secretBlock: '',
        timestamp: 't',
      }),
    ).rejects.toThrow('invalid SRP value');
  });
});
