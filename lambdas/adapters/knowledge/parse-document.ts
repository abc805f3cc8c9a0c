import { charactersOf, type ParsedDocument } from '../../domain/knowledge/chunking';
import { DocumentUnreadableError, type KnowledgeContentType } from '../../domain/knowledge/indexing';
import { KNOWLEDGE_LIMITS } from '../../domain/knowledge/limits';
import type { DocumentParser } from '../../domain/knowledge/ports';
import { parseHtml } from './parse-html';
import { parseMarkdown } from './parse-markdown';
import { looksLikePdf, parsePdf } from './parse-pdf';
import { parsePlainText } from './parse-text';

/**
 * Reads a document by its declared type, with the library for that format,
 * and holds it to KNOWLEDGE_LIMITS. A PDF declared as text (or text as a
 * PDF) is refused: the bytes must be what the upload said.
 */
export class FormatParser implements DocumentParser {
  async parse(contentType: KnowledgeContentType, bytes: Uint8Array): Promise<ParsedDocument> {
    if (contentType !== 'application/pdf' && looksLikePdf(bytes.subarray(0, 8))) {
      throw new DocumentUnreadableError(`the file is a PDF, not ${contentType}`);
    }
    const parsed = await read(contentType, bytes);
    const characters = charactersOf(parsed);
    if (characters > KNOWLEDGE_LIMITS.maxCharacters) {
      throw new DocumentUnreadableError(
        `the document has ${characters.toLocaleString('en')} characters of text, more than ${KNOWLEDGE_LIMITS.maxCharacters.toLocaleString('en')}`,
      );
    }
    if (characters === 0) throw new DocumentUnreadableError('the document has no text');
    return parsed;
  }
}

function read(contentType: KnowledgeContentType, bytes: Uint8Array): Promise<ParsedDocument> | ParsedDocument {
  switch (contentType) {
    case 'text/plain':
      return parsePlainText(bytes);
    case 'text/markdown':
      return parseMarkdown(bytes);
    case 'text/html':
      return parseHtml(bytes);
    case 'application/pdf':
      return parsePdf(bytes);
  }
}
