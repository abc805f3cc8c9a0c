/**
 * A room's API keys, managed through the HTTP API (docs/http-api.md) with the
 * signed-in person's ID token: the Integrations panel's client.
 */

export interface ApiKeyView {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: ReadonlyArray<'read' | 'post'>;
  readonly createdAt: string;
  readonly lastUsedAt?: string;
  readonly revokedAt?: string;
}

/** A refusal from the HTTP API, with its message for the person. */
export class IntegrationsError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'IntegrationsError';
  }
}

export class IntegrationsClient {
  constructor(
    private readonly apiUrl: string,
    private readonly getToken: () => Promise<string>,
  ) {}

  async list(roomId: string): Promise<ApiKeyView[]> {
    return (await this.call<{ keys: ApiKeyView[] }>('GET', `/v1/rooms/${encodeURIComponent(roomId)}/keys`)).keys;
  }

  /** Creates a key; `secret` is its text, which nothing can show again. */
  async create(roomId: string, name: string, scopes: ReadonlyArray<'read' | 'post'>): Promise<{ key: ApiKeyView; secret: string }> {
    return this.call('POST', `/v1/rooms/${encodeURIComponent(roomId)}/keys`, { name, scopes });
  }

  async revoke(roomId: string, keyId: string): Promise<void> {
    await this.call('DELETE', `/v1/rooms/${encodeURIComponent(roomId)}/keys/${encodeURIComponent(keyId)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        // The scheme is case-insensitive (RFC 9110); lower case keeps it apart from interface text.
        authorization: `bearer ${await this.getToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } } & T;
    if (!response.ok) throw new IntegrationsError(response.status, answer.error?.message ?? `HTTP ${response.status}`);
    return answer;
  }
}
