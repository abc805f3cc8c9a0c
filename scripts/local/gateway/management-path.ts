/**
 * Reads a management API path, `/{stage}/@connections/{connectionId}`, the
 * way API Gateway accepts it: with the `@` as is or percent-encoded (`%40`,
 * as AWS's documentation writes it), and with or without the stage.
 */
export type ManagementPath =
  | { readonly kind: 'connection'; readonly connectionId: string }
  /** A connections path whose id is empty or not a valid percent-encoding. */
  | { readonly kind: 'malformed' }
  | { readonly kind: 'other' };

/** `rawPath` is the request path still percent-encoded. */
export function parseManagementPath(rawPath: string, stage: string): ManagementPath {
  const match = /^(?:\/([^/]+))?\/(?:@|%40)connections\/([^/]*)$/i.exec(rawPath);
  if (!match) return { kind: 'other' };
  if (match[1] !== undefined && match[1] !== stage) return { kind: 'other' };
  const encoded = match[2] as string;
  let connectionId: string;
  try {
    connectionId = decodeURIComponent(encoded);
  } catch {
    return { kind: 'malformed' };
  }
  return connectionId === '' ? { kind: 'malformed' } : { kind: 'connection', connectionId };
}
