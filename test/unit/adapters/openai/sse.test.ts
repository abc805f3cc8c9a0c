import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from '../../../../lambdas/adapters/openai/sse';

/** The text as a byte stream cut into the given pieces (by character count). */
async function* bytes(text: string, cuts: number[] = []): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    yield encoder.encode(text.slice(start, cut));
    start = cut;
  }
}

const read = async (text: string, cuts?: number[]) => {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(bytes(text, cuts))) events.push(event);
  return events;
};

describe('readServerSentEvents', () => {
  it('reads one event per blank-line-ended block', async () => {
    expect(await read('data: {"a":1}\n\ndata: [DONE]\n\n')).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('joins data lines, reads event names and ids, skips comments and events without data', async () => {
    const events = await read(': keep-alive\n\nevent: delta\nid: 7\ndata: one\ndata:two\n\nevent: ping\n\ndata\n\n');

    expect(events).toEqual([
      { event: 'delta', data: 'one\ntwo', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });

  it('accepts CRLF and CR line ends, also when a CRLF is split between chunks', async () => {
    const text = 'data: a\r\n\r\ndata: b\r\rdata: c\n\n';

    expect(await read(text, [8])).toEqual(await read(text.replace(/\r\n|\r/g, '\n')));
    expect((await read(text, [8])).map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('reassembles lines and multi-byte characters cut anywhere', async () => {
    const text = 'data: {"content":"héllo ✓"}\n\n';
    const whole = await read(text);

    for (let cut = 1; cut < text.length; cut += 1) {
      expect(await read(text, [cut])).toEqual(whole);
    }
    const encoded = new TextEncoder().encode(text);
    async function* byteByByte() {
      for (const byte of encoded) yield new Uint8Array([byte]);
    }
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(byteByByte())) events.push(event);
    expect(events).toEqual(whole);
  });

  it('strips a byte order mark and delivers an event the end of the stream cut off', async () => {
    expect(await read('\uFEFFdata: first\n\ndata: last')).toEqual([
      { event: 'message', data: 'first' },
      { event: 'message', data: 'last' },
    ]);
  });
});
