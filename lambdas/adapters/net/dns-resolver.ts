import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../../domain/integrations/webhook-target';

/** Resolves a host name to every address the system resolver gives, IPv4 and IPv6, in its order. */
export class DnsHostResolver implements HostResolver {
  async resolve(host: string): Promise<string[]> {
    const addresses = await lookup(host, { all: true, verbatim: true });
    return addresses.map(({ address }) => address);
  }
}
