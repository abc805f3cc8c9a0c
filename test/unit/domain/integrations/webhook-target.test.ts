import { describe, expect, it } from 'vitest';
import { WebhookTargetError } from '../../../../lambdas/domain/errors';
import { addressRange, chooseTargetAddress, parseWebhookTarget } from '../../../../lambdas/domain/integrations/webhook-target';

const aws = { allowLoopback: false };
const local = { allowLoopback: true };

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookTargetError);
    expect((error as WebhookTargetError).code).toBe('WEBHOOK_TARGET_INVALID');
    return (error as Error).message;
  }
  throw new Error('not refused');
};

const check = (url: string, addresses: string[], policy = aws) => chooseTargetAddress(parseWebhookTarget(url, policy), addresses, policy);

describe('parseWebhookTarget', () => {
  it('accepts an https URL on 443 or 8443, with a path and query', () => {
    expect(parseWebhookTarget('https://hooks.example.com/parley?x=1', aws).host).toBe('hooks.example.com');
    expect(parseWebhookTarget('https://hooks.example.com:8443/', aws).url.port).toBe('8443');
  });

  it('refuses http, other schemes, credentials, fragments and other ports in AWS', () => {
    expect(refusal(() => parseWebhookTarget('http://hooks.example.com/', aws))).toMatch(/only https/);
    expect(refusal(() => parseWebhookTarget('ftp://hooks.example.com/', aws))).toMatch(/only https/);
    expect(refusal(() => parseWebhookTarget('https://user:pw@hooks.example.com/', aws))).toMatch(/user name or password/);
    expect(refusal(() => parseWebhookTarget('https://hooks.example.com/#x', aws))).toMatch(/fragment/);
    expect(refusal(() => parseWebhookTarget('https://hooks.example.com:22/', aws))).toMatch(/port 22/);
    expect(refusal(() => parseWebhookTarget('not a url', aws))).toMatch(/valid absolute URL/);
    expect(refusal(() => parseWebhookTarget(`https://hooks.example.com/${'a'.repeat(2100)}`, aws))).toMatch(/longer than/);
  });

  it('reads decimal, hex and short IPv4 host names as the addresses they are', () => {
    expect(parseWebhookTarget('https://2130706433/', aws).host).toBe('127.0.0.1');
    expect(parseWebhookTarget('https://0x7f.1/', aws).host).toBe('127.0.0.1');
    expect(parseWebhookTarget('https://0251.0376.0251.0376/', aws).host).toBe('169.254.169.254');
    expect(parseWebhookTarget('https://[::ffff:10.0.0.1]/', aws).host).toBe('::ffff:a00:1');
  });
});

describe('chooseTargetAddress', () => {
  it('accepts public IPv4 and IPv6 addresses and connects to the first', () => {
    expect(check('https://hooks.example.com/', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])).toBe('93.184.216.34');
    expect(check('https://[2606:2800:220:1:248:1893:25c8:1946]/', ['2606:2800:220:1:248:1893:25c8:1946'])).toBe(
      '2606:2800:220:1:248:1893:25c8:1946',
    );
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRange(address)).toBe(range);
    expect(refusal(() => check('https://hooks.example.com/', [address]))).toContain(`a ${range} address`);
  });

  it('refuses a name when any one of its addresses is not public', () => {
    expect(refusal(() => check('https://hooks.example.com/', ['93.184.216.34', '10.0.0.1']))).toMatch(/10\.0\.0\.1/);
  });

  it('refuses the metadata address however it is written', () => {
    for (const url of ['https://169.254.169.254/', 'https://2852039166/', 'https://0xa9.0xfe.0xa9.0xfe/', 'https://[::ffff:a9fe:a9fe]/']) {
      const target = parseWebhookTarget(url, aws);
      expect(refusal(() => chooseTargetAddress(target, [target.host], aws))).toMatch(/linkLocal/);
    }
  });

  it('refuses localhost in AWS, and a name that resolves to nothing', () => {
    expect(refusal(() => check('https://localhost/', ['127.0.0.1', '::1']))).toMatch(/loopback/);
    expect(refusal(() => check('https://hooks.example.com/', []))).toMatch(/does not resolve/);
  });

  it('lets the local runtime call loopback over http on any port, but still nothing private', () => {
    expect(check('http://127.0.0.1:4567/hook', ['127.0.0.1'], local)).toBe('127.0.0.1');
    expect(check('http://localhost:4567/hook', ['127.0.0.1', '::1'], local)).toBe('127.0.0.1');
    expect(refusal(() => check('https://10.0.0.5/', ['10.0.0.5'], local))).toMatch(/private/);
    expect(refusal(() => check('http://hooks.example.com/', ['93.184.216.34'], local))).toMatch(/only https/);
  });
});
