import { describe, expect, it } from 'vitest';
import { checkHost, decodeComponent, parseRequestTarget } from '../../../scripts/local/http-guard';

describe('checkHost', () => {
  it('accepts the loopback names with the server’s port, in any case', () => {
    expect(checkHost('127.0.0.1:3002', 3002)).toBeUndefined();
    expect(checkHost('localhost:3002', 3002)).toBeUndefined();
    expect(checkHost('LocalHost:3002', 3002)).toBeUndefined();
    expect(checkHost('[::1]:3002', 3002)).toBeUndefined();
  });

  it('refuses another name or another port with 403', () => {
    expect(checkHost('evil.example:3002', 3002)?.status).toBe(403);
    expect(checkHost('127.0.0.1.nip.io:3002', 3002)?.status).toBe(403);
    expect(checkHost('127.0.0.1:3003', 3002)?.status).toBe(403);
    expect(checkHost('127.0.0.1', 3002)?.status).toBe(403);
    expect(checkHost('[::2]:3002', 3002)?.status).toBe(403);
  });

  it('refuses a missing or malformed Host with 400', () => {
    expect(checkHost(undefined, 3002)?.status).toBe(400);
    expect(checkHost('', 3002)?.status).toBe(400);
    expect(checkHost('127.0.0.1:3002:1', 3002)?.status).toBe(400);
    expect(checkHost('[::1', 3002)?.status).toBe(400);
    expect(checkHost('127.0.0.1:99999999', 3002)?.status).toBe(400);
    expect(checkHost('user@127.0.0.1:3002', 3002)?.status).toBe(403);
  });
});

describe('parseRequestTarget', () => {
  it('splits an origin-form target into its decoded path and query', () => {
    const target = parseRequestTarget('/local/%40connections/abc%3D?x=1&x=2');

    expect(target?.rawPath).toBe('/local/%40connections/abc%3D');
    expect(target?.path).toBe('/local/@connections/abc=');
    expect(target?.search).toBe('?x=1&x=2');
    expect(target?.searchParams.getAll('x')).toEqual(['1', '2']);
  });

  it('keeps a path starting with // a path, not a host', () => {
    expect(parseRequestTarget('//evil.example/health')?.path).toBe('//evil.example/health');
  });

  it('refuses absolute-form, asterisk, malformed encodings and control characters', () => {
    for (const target of ['http://[', 'http://127.0.0.1/health', '*', '', 'health', '/%ZZ', '/a%', '/%E2%82', '/a\u0000b', '/a b', '/a\u007f']) {
      expect(parseRequestTarget(target), JSON.stringify(target)).toBeUndefined();
    }
    expect(parseRequestTarget(undefined)).toBeUndefined();
  });

  it('leaves a malformed encoding in the query as it is, as URLSearchParams does', () => {
    expect(parseRequestTarget('/health?a=%ZZ')?.searchParams.get('a')).toBe('%ZZ');
  });
});

describe('decodeComponent', () => {
  it('decodes, or answers undefined instead of throwing', () => {
    expect(decodeComponent('a%40b')).toBe('a@b');
    expect(decodeComponent('%ZZ')).toBeUndefined();
  });
});
