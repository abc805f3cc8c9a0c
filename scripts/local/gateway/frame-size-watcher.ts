/**
 * Reads the headers of the WebSocket frames a client sends (RFC 6455 §5.2)
 * to find one whose payload is over API Gateway's frame limit (32 KB).
 * `ws` bounds a frame and a whole message by the same number, while API
 * Gateway allows a 128 KB message only when it comes in frames of 32 KB or
 * less; this watcher sees the raw bytes beside `ws` and tells the gateway
 * as soon as an oversized frame's header arrives, before its payload.
 */
export class FrameSizeWatcher {
  /** Header bytes of the frame being read (at most 14: 2 + 8 length + 4 mask). */
  private header: number[] = [];
  /** Payload bytes of the current frame still to skip. */
  private payloadLeft = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds bytes in arrival order; returns the payload size of the first oversized frame found. */
  push(chunk: Uint8Array): number | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.payloadLeft > 0) {
        const skipped = Math.min(this.payloadLeft, chunk.length - at);
        this.payloadLeft -= skipped;
        at += skipped;
        continue;
      }
      this.header.push(chunk[at] as number);
      at += 1;
      const size = this.headerComplete();
      if (size === undefined) continue;
      this.header = [];
      if (size > this.maxFrameBytes) return size;
      this.payloadLeft = size;
    }
    return undefined;
  }

  /** The payload length once the whole header has arrived, else undefined. */
  private headerComplete(): number | undefined {
    const h = this.header;
    if (h.length < 2) return undefined;
    const masked = ((h[1] as number) & 0x80) !== 0;
    const short = (h[1] as number) & 0x7f;
    const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
    if (h.length < 2 + lengthBytes + (masked ? 4 : 0)) return undefined;
    let size = short;
    if (lengthBytes > 0) {
      size = 0;
      for (let i = 0; i < lengthBytes; i += 1) size = size * 256 + (h[2 + i] as number);
    }
    return size;
  }
}
