import type { ParsedDocument } from '../../domain/knowledge/chunking';
import { DocumentUnreadableError } from '../../domain/knowledge/indexing';

/**
 * The text of bytes declared as text: strict UTF-8 (a BOM is dropped),
 * newlines made `\n`, Unicode in its composed form (NFC), and control
 * characters other than tab and newline removed. Bytes that are not UTF-8,
 * or that hold NUL characters (a binary file), are unreadable: the
 * document is not the type it claims.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentUnreadableError('the file is not UTF-8 text');
  }
  if (text.includes('\u0000')) throw new DocumentUnreadableError('the file is binary, not text');
  return text
    .replace(/\r\n?/gu, '\n')
    .normalize('NFC')
    .replace(/[\u0001-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu, '');
}

/** Paragraphs of plain text: runs of lines between blank lines. */
export const paragraphsOf = (text: string): string[] =>
  text
    .split(/\n\s*\n/u)
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** A text/plain document: one section, its paragraphs split at blank lines. */
export function parsePlainText(bytes: Uint8Array): ParsedDocument {
  return { sections: [{ path: [], paragraphs: paragraphsOf(decodeText(bytes)) }] };
}
