import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { SendResult, WebhookRequest, WebhookSender } from '../../domain/integrations/webhooks';

/** A lookup that answers the address already checked, whatever name is asked: no second resolution. */
const pinnedLookup = (address: string): LookupFunction => {
  const family = isIP(address);
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
};

const TLS_ERRORS = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH|ERR_TLS/;

/**
 * POSTs a webhook delivery with node's http/https clients: connected to the
 * checked address (the host name still goes in Host and in TLS's SNI and
 * certificate check), redirects never followed (a 3xx is a failed attempt),
 * the answer's body read and discarded, and the whole exchange bounded by
 * `timeoutMs`.
 */
export class HttpWebhookSender implements WebhookSender {
  send(request: WebhookRequest, timeoutMs: number): Promise<SendResult> {
    const { url } = request;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const settle = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const outgoing = send(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup: pinnedLookup(request.address),
          agent: false,
        },
        (response) => {
          response.resume();
          response.on('end', () => settle({ kind: 'answered', statusCode: response.statusCode ?? 0 }));
          response.on('error', () => settle({ kind: 'answered', statusCode: response.statusCode ?? 0 }));
        },
      );
      const timer = setTimeout(() => {
        settle({ kind: 'failed', errorClass: 'timeout' });
        outgoing.destroy();
      }, timeoutMs);
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        settle({ kind: 'failed', errorClass: TLS_ERRORS.test(error.code ?? '') ? 'tls' : 'connection' });
      });
      outgoing.end(request.body);
    });
  }
}
