import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText, getCountries, type CountryCode } from 'libphonenumber-js/min';
import type { Finding, PiiKind } from './findings';

/**
 * Personal data and secrets in free text. Each detector finds candidates
 * with a deliberately loose pattern and keeps only those that pass a real
 * check (Luhn and issuer prefixes for cards, the country length and mod-97
 * checksum for IBANs, numbering plans for phone numbers), which is what keeps
 * order numbers, dates and versions from being redacted.
 *
 * Libraries: phone numbers use libphonenumber-js (Google's numbering-plan
 * metadata, "min" set) and IBANs ibantools (per-country lengths and BBAN
 * formats); both are maintained, dependency-free and pure. The rest is small
 * enough to own: a pattern plus a checksum.
 */

const span = (kind: PiiKind, start: number, end: number): Finding => ({ check: 'pii', kind, span: { start, end } });

const matchesOf = (pattern: RegExp, text: string): RegExpExecArray[] => [...text.matchAll(pattern)];

// Local part and domain labels as people write them; the TLD is letters only,
// which keeps `user@host:8080` style strings and version pins like `pkg@1.2.3` out.
const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/g;

export function findEmails(text: string): Finding[] {
  return matchesOf(EMAIL, text).map((m) => span('email', m.index, m.index + m[0].length));
}

/** The Luhn (mod 10) checksum of a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Issuer prefixes and lengths of the card networks people paste (Visa,
 * Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). About one in
 * ten random digit strings passes Luhn; requiring a real issuer range as well
 * removes most of those.
 */
function isCardNumber(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  const network =
    (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) || // Visa
    (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) || // Mastercard
    ((p2 === 34 || p2 === 37) && n === 15) || // American Express
    ((p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) &&
      n >= 16 &&
      n <= 19) || // Discover
    (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) || // JCB
    (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) || // Diners
    (p2 === 62 && n >= 16 && n <= 19) || // UnionPay
    ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19); // Maestro
  return network && luhnValid(digits);
}

// 12–19 digits, optionally grouped by single spaces or dashes.
const CARD_CANDIDATE = /(?<![\d.,/-])\d(?:[ -]?\d){11,18}(?![\d/]|[.,-]\d)/g;

export function findCardNumbers(text: string): Finding[] {
  return matchesOf(CARD_CANDIDATE, text)
    .filter((m) => isCardNumber(m[0].replace(/[ -]/g, '')))
    .map((m) => span('card', m.index, m.index + m[0].length));
}

const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  Object.entries(getCountrySpecifications())
    .filter(([, spec]) => typeof spec.chars === 'number' && spec.chars > 0)
    .map(([country, spec]) => [country, spec.chars as number]),
);

// Where an IBAN may start: a country code and two check digits at a word start.
const IBAN_START = /(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}/g;

/**
 * IBANs in electronic (`DE89370400440532013000`) or printed form (groups of
 * four separated by single spaces). From each possible start, exactly the
 * country's length of characters is read, so words after the IBAN never
 * join it, and the result must pass the checksum and the BBAN format.
 */
export function findIbans(text: string): Finding[] {
  const found: Finding[] = [];
  for (const m of text.matchAll(IBAN_START)) {
    const length = IBAN_LENGTHS.get((m[1] as string).toUpperCase());
    if (length === undefined) continue;
    let compact = '';
    let end = m.index;
    while (end < text.length && compact.length < length) {
      const ch = text[end] as string;
      if (/[A-Za-z0-9]/.test(ch)) compact += ch;
      else if (!(ch === ' ' && /[A-Za-z0-9]/.test(text[end + 1] ?? '') && compact.length % 4 === 0)) break;
      end += 1;
    }
    if (compact.length !== length || /[A-Za-z0-9]/.test(text[end] ?? '')) continue;
    if (isValidIBAN(compact.toUpperCase())) found.push(span('iban', m.index, end));
  }
  return found;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.:])(?:${OCTET}\\.){3}${OCTET}(?![\\w]|\\.\\d)`, 'g');
// Candidates only; `isIpv6` decides. Colons and hex digits, at least two colons.
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\w)/g;

/** Loopback and unspecified addresses identify no one. */
const NOT_PERSONAL_V4 = /^(?:127\.|0\.0\.0\.0$)/;
/** `version 1.2.3.4`, `v1.2.3.4`: a four-part version number, not an address. */
const VERSION_BEFORE = /(?:\bversion\s*|\bv)$/i;

export function isIpv6(candidate: string): boolean {
  let body = candidate;
  let groupsNeeded = 8;
  const v4 = /(?:^|:)((?:\d{1,3}\.){3}\d{1,3})$/.exec(body);
  if (v4) {
    if (!new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`).test(v4[1] as string)) return false;
    body = body.slice(0, body.length - (v4[1] as string).length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
    groupsNeeded = 6;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  const all = [...left, ...right];
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? all.length < groupsNeeded : all.length === groupsNeeded;
}

export function findIpAddresses(text: string): Finding[] {
  const v4 = matchesOf(IPV4, text)
    .filter((m) => !NOT_PERSONAL_V4.test(m[0]) && !VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 8), m.index)))
    .map((m) => span('ip', m.index, m.index + m[0].length));
  const v6 = matchesOf(IPV6_CANDIDATE, text)
    .filter((m) => m[0] !== '::' && m[0] !== '::1' && isIpv6(m[0]))
    .map((m) => span('ip', m.index, m.index + m[0].length));
  return [...v4, ...v6];
}

// Access key ids: a four-letter type prefix and sixteen upper-case letters or digits.
const AWS_ACCESS_KEY =
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g;
// Secret access keys: forty characters of base64 with no padding.
const AWS_SECRET_CANDIDATE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const SECRET_CONTEXT = /aws|secret|access[_ -]?key|credential/i;
const HAS_AWS_ACCESS_KEY = new RegExp(AWS_ACCESS_KEY.source);

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function findAwsAccessKeys(text: string): Finding[] {
  return matchesOf(AWS_ACCESS_KEY, text).map((m) => span('awsAccessKey', m.index, m.index + m[0].length));
}

/**
 * A forty-character base64 token mixing upper case, lower case and digits
 * with high entropy (a hex digest has no upper case; prose has low entropy),
 * or any forty-character mixed token near words such as "secret" or "aws".
 */
export function findAwsSecretKeys(text: string): Finding[] {
  return matchesOf(AWS_SECRET_CANDIDATE, text)
    .filter((m) => {
      const token = m[0];
      if (!/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/\d/.test(token)) return false;
      const nearby = text.slice(Math.max(0, m.index - 60), m.index);
      return entropy(token) >= 4.2 || SECRET_CONTEXT.test(nearby) || HAS_AWS_ACCESS_KEY.test(text);
    })
    .map((m) => span('awsSecretKey', m.index, m.index + m[0].length));
}

/**
 * The regions whose national phone number formats can be recognised:
 * libphonenumber-js's list, ISO 3166-1 alpha-2 codes plus a few numbering
 * regions of their own (AC, TA, XK). Any other region would find nothing.
 */
const PHONE_REGIONS: ReadonlySet<string> = new Set(getCountries());

/** The first of `regions` whose phone numbers cannot be recognised, if any. */
export const unknownPhoneRegion = (regions: readonly string[]): string | undefined =>
  regions.find((region) => !PHONE_REGIONS.has(region));

/**
 * Phone numbers: numbers written in international form (`+44 20 7946 0958`)
 * anywhere, and numbers in national form for the given regions. Only numbers
 * valid in their numbering plan count, so dates, amounts and ids do not.
 */
export function findPhoneNumbers(text: string, regions: readonly string[]): Finding[] {
  const seen = new Set<string>();
  const found: Finding[] = [];
  const add = (startsAt: number, endsAt: number) => {
    const key = `${startsAt}:${endsAt}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(span('phone', startsAt, endsAt));
  };
  // Without a default region only numbers starting with + are found.
  for (const n of findPhoneNumbersInText(text)) add(n.startsAt, n.endsAt);
  for (const region of regions) {
    for (const n of findPhoneNumbersInText(text, { defaultCountry: region as CountryCode })) add(n.startsAt, n.endsAt);
  }
  return found;
}

export interface PiiOptions {
  readonly kinds: readonly PiiKind[];
  /** ISO 3166 regions whose national phone formats are recognised. */
  readonly phoneRegions: readonly string[];
}

/** Every finding of the enabled kinds, in text order; overlapping spans are merged later, when redacting. */
export function findPii(text: string, options: PiiOptions): Finding[] {
  const kinds = new Set(options.kinds);
  const findings: Finding[] = [];
  if (kinds.has('email')) findings.push(...findEmails(text));
  if (kinds.has('card')) findings.push(...findCardNumbers(text));
  if (kinds.has('iban')) findings.push(...findIbans(text));
  if (kinds.has('ip')) findings.push(...findIpAddresses(text));
  if (kinds.has('awsAccessKey')) findings.push(...findAwsAccessKeys(text));
  if (kinds.has('awsSecretKey')) findings.push(...findAwsSecretKeys(text));
  if (kinds.has('phone')) {
    // A card number, an IBAN or an IP address can also parse as a phone number; the stricter check wins.
    const taken = findings.filter((f) => f.kind === 'card' || f.kind === 'iban' || f.kind === 'ip');
    const overlaps = (f: Finding) =>
      taken.some((t) => f.span && t.span && f.span.start < t.span.end && t.span.start < f.span.end);
    findings.push(...findPhoneNumbers(text, options.phoneRegions).filter((f) => !overlaps(f)));
  }
  return findings.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
}
