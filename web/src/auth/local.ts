/**
 * Local sign-in: the local runtime's identity provider issues a token for
 * any name (it runs on this machine only; the same name is the same user).
 * `displayName`, when given, is the name the token carries instead: how a
 * local session keeps a display name chosen in Parley.
 */
export async function signInLocally(
  tokenUrl: string,
  name: string,
  fetchImpl: typeof fetch = fetch,
  displayName?: string,
): Promise<string> {
  const response = await fetchImpl(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(displayName === undefined ? { name } : { name, displayName }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; message?: unknown };
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(typeof body.message === 'string' ? body.message : `Sign-in failed (HTTP ${response.status}).`);
  }
  return body.token;
}
