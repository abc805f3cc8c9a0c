import { describe, expect, it } from 'vitest';
import { PII_KINDS } from '../../../../lambdas/domain/moderation/findings';
import {
  entropy,
  findAwsAccessKeys,
  findAwsSecretKeys,
  findCardNumbers,
  findEmails,
  findIbans,
  findIpAddresses,
  findPhoneNumbers,
  findPii,
  isIpv6,
  luhnValid,
  unknownPhoneRegion,
} from '../../../../lambdas/domain/moderation/pii';
import type { Finding } from '../../../../lambdas/domain/moderation/findings';

const matched = (text: string, findings: Finding[]) => findings.map((f) => text.slice(f.span!.start, f.span!.end));

describe('findEmails', () => {
  it('finds addresses with subdomains, plus tags and dots in the local part', () => {
    const text = 'write to alice.smith+parley@mail.example.co.uk or BOB@Example.com.';

    expect(matched(text, findEmails(text))).toEqual(['alice.smith+parley@mail.example.co.uk', 'BOB@Example.com']);
  });

  it('ignores package pins, local hosts and mentions', () => {
    const text = 'install left-pad@1.3.0, ssh root@localhost, ping @alice';

    expect(findEmails(text)).toEqual([]);
  });
});

describe('luhnValid', () => {
  it('accepts a valid checksum and rejects a one-digit change', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
});

describe('findCardNumbers', () => {
  it('finds Visa, Mastercard and Amex numbers, plain or grouped', () => {
    const text = 'visa 4111 1111 1111 1111, mc 5555-5555-5555-4444, amex 378282246310005';

    expect(matched(text, findCardNumbers(text))).toEqual([
      '4111 1111 1111 1111',
      '5555-5555-5555-4444',
      '378282246310005',
    ]);
  });

  it('ignores Luhn-valid numbers outside any issuer range and numbers failing Luhn', () => {
    // 1234567812345670 passes Luhn but no network issues cards starting with 1.
    const text = 'order 1234567812345670, card 4111 1111 1111 1112';

    expect(findCardNumbers(text)).toEqual([]);
  });

  it('ignores digits that are part of a decimal or a longer number', () => {
    const text = 'total 4111111111111111.50 and id 94111111111111111';

    expect(findCardNumbers(text)).toEqual([]);
  });
});

describe('findIbans', () => {
  it('finds IBANs in electronic and printed form and stops at the country length', () => {
    const text = 'pay GB82WEST12345698765432 or DE89 3704 0044 0532 0130 00 is mine';

    expect(matched(text, findIbans(text))).toEqual(['GB82WEST12345698765432', 'DE89 3704 0044 0532 0130 00']);
  });

  it('rejects a wrong checksum and an unknown country', () => {
    const text = 'GB83WEST12345698765432 and XX82WEST12345698765432';

    expect(findIbans(text)).toEqual([]);
  });
});

describe('findIpAddresses', () => {
  it('finds IPv4 and IPv6 addresses, compressed or with an IPv4 tail', () => {
    const text = 'from 203.0.113.7 via 2001:db8::8a2e:370:7334 and ::ffff:192.0.2.1';

    expect(matched(text, findIpAddresses(text))).toEqual(['203.0.113.7', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1']);
  });

  it('ignores loopback, times, version numbers and out-of-range octets', () => {
    const text = 'localhost 127.0.0.1 ::1 at 10:30:00, version 1.2.3.4, v2.0.0.1, 300.1.1.1';

    expect(findIpAddresses(text)).toEqual([]);
  });

  it('validates IPv6 group counts', () => {
    expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7')).toBe(false);
    expect(isIpv6('1::2::3')).toBe(false);
  });
});

describe('AWS credentials', () => {
  it('finds an access key id and its secret', () => {
    const text = 'AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

    expect(matched(text, findAwsAccessKeys(text))).toEqual(['AKIAIOSFODNN7EXAMPLE']);
    expect(matched(text, findAwsSecretKeys(text))).toEqual(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
  });

  it('does not take a hex digest or a long word for a secret', () => {
    const text = 'commit 3f786850e387550fdab836ed7e6dc881de23001b and Pneumonoultramicroscopicsilicovolcanoconiosis';

    expect(findAwsSecretKeys(text)).toEqual([]);
  });

  it('measures entropy in bits per character', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
  });
});

describe('findPhoneNumbers', () => {
  it('finds international numbers anywhere and national ones for the given regions', () => {
    const text = 'call +33 1 42 68 53 00, (415) 555-2671 or 020 7946 0958';

    expect(matched(text, findPhoneNumbers(text, ['US', 'GB']))).toEqual([
      '+33 1 42 68 53 00',
      '(415) 555-2671',
      '020 7946 0958',
    ]);
  });

  it('ignores dates, amounts and short ids', () => {
    const text = 'on 2024-05-06 we paid 1,234,567.89 for ticket 12345';

    expect(findPhoneNumbers(text, ['US', 'GB'])).toEqual([]);
  });
});

describe('unknownPhoneRegion', () => {
  it('knows the regions of the phone numbering metadata, ISO codes and its own', () => {
    expect(unknownPhoneRegion(['US', 'GB', 'FR', 'JP', 'XK', 'AC'])).toBeUndefined();
    expect(unknownPhoneRegion([])).toBeUndefined();
  });

  it('names the first region it does not know', () => {
    expect(unknownPhoneRegion(['US', 'ZZ', 'QQ'])).toBe('ZZ');
    expect(unknownPhoneRegion(['UK'])).toBe('UK'); // the United Kingdom is GB
  });
});

describe('findPii', () => {
  it('reports only the enabled kinds, in text order', () => {
    const text = 'mail a@example.com from 203.0.113.7';

    expect(findPii(text, { kinds: ['ip'], phoneRegions: [] }).map((f) => f.kind)).toEqual(['ip']);
    expect(findPii(text, { kinds: PII_KINDS, phoneRegions: [] }).map((f) => f.kind)).toEqual(['email', 'ip']);
  });

  it('does not also report an IP address as a phone number', () => {
    const text = 'the server at 198.51.100.23 is down';

    expect(findPii(text, { kinds: PII_KINDS, phoneRegions: ['US', 'GB'] }).map((f) => f.kind)).toEqual(['ip']);
  });

  it('does not also report a card number as a phone number', () => {
    const text = 'card 4111 1111 1111 1111';

    expect(findPii(text, { kinds: PII_KINDS, phoneRegions: ['US'] }).map((f) => f.kind)).toEqual(['card']);
  });
});
