import { createHash, createHmac } from 'node:crypto';

/** Credentials that sign a request (an access key, and a session token for temporary ones). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers to sign besides `host`, `x-amz-date` and `x-amz-security-token`, which are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as Signature Version 4 wants it. */
const encode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `20150830T123600Z`. */
const amzDate = (now: Date): string => now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Signs a request with AWS Signature Version 4 and returns the headers to
 * send (the given ones plus `host`, `x-amz-date`, the session token and
 * `authorization`). Enough for the JSON APIs the smoke test calls (a POST
 * to `/`); not a general-purpose signer (no chunked or unsigned payloads).
 */
export function signRequest(
  request: SignableRequest,
  credentials: AwsCredentials,
  scope: { readonly region: string; readonly service: string },
  now: Date = new Date(),
): Record<string, string> {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    host: request.url.host,
    'x-amz-date': date,
    ...(credentials.sessionToken === undefined ? {} : { 'x-amz-security-token': credentials.sessionToken }),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = [...request.url.searchParams.entries()]
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join('&');
  const path = request.url.pathname.split('/').map((segment) => encode(decodeURIComponent(segment))).join('/') || '/';
  const canonicalRequest = [request.method.toUpperCase(), path, query, canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');

  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
