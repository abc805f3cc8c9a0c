import { describe, expect, it } from 'vitest';
import { handshakeProblem, selectedSubprotocol } from '../../../scripts/local/gateway/upgrade-request';

const handshake = (headers: Record<string, string> = {}, method = 'GET') => ({
  method,
  headers: {
    upgrade: 'websocket',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-version': '13',
    ...headers,
  },
});

describe('handshakeProblem', () => {
  it('accepts a valid handshake, with or without subprotocols', () => {
    expect(handshakeProblem(handshake())).toBeUndefined();
    expect(handshakeProblem(handshake({ 'sec-websocket-protocol': 'chat, superchat' }))).toBeUndefined();
  });

  it('names what is wrong with a broken one', () => {
    expect(handshakeProblem(handshake({}, 'POST'))).toMatch(/GET/);
    expect(handshakeProblem(handshake({ upgrade: 'h2c' }))).toMatch(/Upgrade/);
    expect(handshakeProblem(handshake({ 'sec-websocket-key': 'short' }))).toMatch(/Key/);
    expect(handshakeProblem(handshake({ 'sec-websocket-version': '99' }))).toMatch(/Version/);
    expect(handshakeProblem(handshake({ 'sec-websocket-protocol': 'a b, "c"' }))).toMatch(/Protocol/);
  });
});

describe('selectedSubprotocol', () => {
  it('reads Sec-WebSocket-Protocol from a $connect response in any case', () => {
    expect(selectedSubprotocol({ 'Sec-WebSocket-Protocol': 'myprotocol' })).toBe('myprotocol');
    expect(selectedSubprotocol({ 'sec-websocket-protocol': ' chat ' })).toBe('chat');
  });

  it('selects nothing when the response names none or names something that is not a token', () => {
    expect(selectedSubprotocol(undefined)).toBeUndefined();
    expect(selectedSubprotocol({ 'content-type': 'text/plain' })).toBeUndefined();
    expect(selectedSubprotocol({ 'Sec-WebSocket-Protocol': 'a b' })).toBeUndefined();
    expect(selectedSubprotocol({ 'Sec-WebSocket-Protocol': 7 })).toBeUndefined();
  });
});
