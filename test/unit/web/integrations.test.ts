import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../web/src/config';
import { IntegrationsClient, IntegrationsError } from '../../../web/src/integrations';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('IntegrationsClient', () => {
  it('calls the HTTP API with the person’s ID token', async () => {
    const fetchSpy = vi.fn(async () => new Response(JSON.stringify({ key: { keyId: 'k1' }, secret: 'prk_x' }), { status: 201 }));
    vi.stubGlobal('fetch', fetchSpy);

    const created = await new IntegrationsClient('https://api.example', async () => 'jwt').create('room 1', 'CI', ['post']);

    expect(created.secret).toBe('prk_x');
    expect(fetchSpy).toHaveBeenCalledWith('https://api.example/v1/rooms/room%201/keys', {
      method: 'POST',
      headers: { authorization: 'bearer jwt', 'content-type': 'application/json' },
      body: '{"name":"CI","scopes":["post"]}',
    });
  });

  it('turns a refusal into an error with the API’s message', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Only the owner can manage API keys.' } }), { status: 403 }));

    const refused = new IntegrationsClient('https://api.example', async () => 'jwt').list('r1');

    await expect(refused).rejects.toBeInstanceOf(IntegrationsError);
    await expect(refused).rejects.toThrow('Only the owner can manage API keys.');
  });
});

describe('the runtime configuration', () => {
  const base = { wsUrl: 'wss://ws.example/prod', auth: { kind: 'local', tokenUrl: '/local/token' } };

  it('takes the HTTP API URL, without a trailing slash', () => {
    expect(parseConfig({ ...base, apiUrl: 'https://api.example/' }).apiUrl).toBe('https://api.example');
    expect(parseConfig(base).apiUrl).toBeUndefined();
  });

  it('refuses an apiUrl that is not http(s)', () => {
    expect(() => parseConfig({ ...base, apiUrl: 'javascript:alert(1)' })).toThrow(/apiUrl/);
  });
});
