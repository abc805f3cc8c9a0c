import { crc32 } from 'node:zlib';

/**
 * AWS event-stream framing (application/vnd.amazon.eventstream), the binary
 * format Bedrock's ConverseStream answers in:
 *
 *   total length (u32) | headers length (u32) | prelude CRC32 (u32)
 *   headers | payload | message CRC32 (u32)
 *
 * with each header as name length (u8), name, type 7 (string), value length
 * (u16), value. Only string headers are needed here.
 */
function encodeEventMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    let offset = header.writeUInt8(nameBytes.length, 0);
    offset += nameBytes.copy(header, offset);
    offset = header.writeUInt8(7, offset);
    offset = header.writeUInt16BE(valueBytes.length, offset);
    valueBytes.copy(header, offset);
    headerParts.push(header);
  }
  const headerBytes = Buffer.concat(headerParts);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** A ConverseStream event: `eventType` is the union member (contentBlockDelta, messageStop…). */
export const streamEvent = (eventType: string, body: unknown): Buffer =>
  encodeEventMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
