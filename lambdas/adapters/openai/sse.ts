/** One server-sent event: its type (`message` unless named), its data lines joined by `\n`, its id if any. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * Reads server-sent events (the `text/event-stream` format) from a byte
 * stream, as the HTML standard describes: UTF-8, lines ended by CRLF, LF or
 * CR (also when a chunk ends between CR and LF), `field: value` lines, `:`
 * comments, an empty line ending each event, events without data skipped.
 *
 * One leniency: an event that the end of the stream cuts off before its
 * empty line is still delivered. Whether a stream was complete is for the
 * caller to decide from what the events say (OpenAI's `[DONE]`).
 */
export async function* readServerSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let first = true;
  let data: string[] = [];
  let event = '';
  let id: string | undefined;

  const take = (line: string): ServerSentEvent | undefined => {
    if (line === '') {
      const ready = data.length > 0 ? { event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }) } : undefined;
      data = [];
      event = '';
      return ready;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    return undefined;
  };

  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    if (first && buffer.length > 0) {
      if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
      first = false;
    }
    let start = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const char = buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      // A CR at the end of what has arrived may be the first half of a CRLF.
      if (char === '\r' && i === buffer.length - 1) break;
      const ready = take(buffer.slice(start, i));
      if (char === '\r' && buffer[i + 1] === '\n') i += 1;
      start = i + 1;
      if (ready) yield ready;
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  for (const line of buffer.split(/\r\n|\r|\n/)) {
    const ready = take(line);
    if (ready) yield ready;
  }
  const last = take('');
  if (last) yield last;
}
