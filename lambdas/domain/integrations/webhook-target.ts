import ipaddr from 'ipaddr.js';
import { WebhookTargetError } from '../errors';
import { MAX_WEBHOOK_URL_LENGTH } from './webhooks';

/**
 * Where a webhook may point (docs/webhooks.md, "Targets"). Parley calls the
 * URL from inside its own network, so a target must never reach what only
 * that network can: private, loopback, link-local (the instance metadata
 * address 169.254.169.254), carrier-grade NAT, multicast or reserved
 * addresses. A host name is resolved and every address it resolves to is
 * checked, at creation and again before each delivery (a name can be made
 * to resolve elsewhere later); the delivery then connects to the address
 * checked, never to a second resolution.
 */

/** Ports a target may name: https's own and its common alternative. */
export const WEBHOOK_PORTS: readonly number[] = [443, 8443];

export interface TargetPolicy {
  /**
   * Whether loopback targets are allowed, over http or https and on any
   * port: set only by the local runtime (WEBHOOKS_ENV.allowLoopback), where
   * receivers run on this machine; never in AWS.
   */
  readonly allowLoopback: boolean;
}

/** A target's URL after the checks that need no resolution. */
export interface ParsedTarget {
  readonly url: URL;
  /** The host name without IPv6 brackets: a name to resolve, or an address. */
  readonly host: string;
}

const refuse = (reason: string): never => {
  throw new WebhookTargetError(reason);
};

/**
 * Parses and checks a target URL as WHATWG URL reads it (so `0x7f.1` and
 * `2130706433` are the address 127.0.0.1): https only (http only to
 * loopback where allowed, checked once resolved), no credentials, no
 * fragment, an allowed port.
 */
export function parseWebhookTarget(raw: string, policy: TargetPolicy): ParsedTarget {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) refuse(`the URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('it is not a valid absolute URL.');
  }
  if (url.protocol !== 'https:' && !(policy.allowLoopback && url.protocol === 'http:')) {
    refuse('only https URLs are accepted.');
  }
  if (url.username !== '' || url.password !== '') refuse('the URL must not carry a user name or password.');
  if (url.hash !== '') refuse('the URL must not have a fragment.');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') refuse('the URL has no host.');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!policy.allowLoopback && !WEBHOOK_PORTS.includes(port)) {
    refuse(`port ${port} is not allowed (use ${WEBHOOK_PORTS.join(' or ')}).`);
  }
  return { url, host };
}

/** Whether `host` is an IP address rather than a name to resolve. */
export const isIpAddress = (host: string): boolean => ipaddr.isValid(host);

/**
 * The range of an address as ipaddr.js names it (`unicast` for a public one),
 * an IPv4-mapped IPv6 address being judged as the IPv4 address it maps.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  return ipaddr.process(address).range();
}

/**
 * Checks every address a target's host resolved to and returns the one to
 * connect to. One bad address refuses the target: a name that resolves to
 * both a public and a private address could be reached at either.
 */
export function chooseTargetAddress(target: ParsedTarget, addresses: readonly string[], policy: TargetPolicy): string {
  if (addresses.length === 0) refuse(`"${target.host}" does not resolve to any address.`);
  for (const address of addresses) {
    const range = addressRange(address);
    if (range === 'unicast') continue;
    if (range === 'loopback' && policy.allowLoopback) continue;
    refuse(`"${target.host}" resolves to ${address}, a ${range} address.`);
  }
  if (target.url.protocol === 'http:' && !addresses.every((address) => addressRange(address) === 'loopback')) {
    refuse('only https URLs are accepted.');
  }
  return ipaddr.process(addresses[0] as string).toString();
}

/** Resolves a host name to all its addresses (lambdas/adapters/net/dns-resolver.ts). */
export interface HostResolver {
  resolve(host: string): Promise<string[]>;
}
