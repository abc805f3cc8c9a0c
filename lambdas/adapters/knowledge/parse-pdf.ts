import { extractText, getDocumentProxy } from 'unpdf';
import type { ParsedDocument } from '../../domain/knowledge/chunking';
import { DocumentUnreadableError } from '../../domain/knowledge/indexing';
import { KNOWLEDGE_LIMITS } from '../../domain/knowledge/limits';
import { paragraphsOf } from './parse-text';

const MAGIC = '%PDF-';

/** Whether the bytes start like a PDF (the header may follow a little junk, as readers allow). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes(MAGIC);
}

/**
 * An application/pdf document, read with unpdf (pdf.js): one section per
 * page ("page 12"), its paragraphs split at blank lines. Unreadable when
 * the bytes are not a PDF, the PDF is encrypted or damaged, it has more
 * than KNOWLEDGE_LIMITS.maxPages pages (checked before any page is read),
 * or no page has text (a scan without a text layer).
 */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  if (!looksLikePdf(bytes)) throw new DocumentUnreadableError('the file is not a PDF');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of the buffer it is given: it gets a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'PasswordException') throw new DocumentUnreadableError('the PDF is encrypted (password protected)');
    throw new DocumentUnreadableError('the PDF is damaged and cannot be read');
  }
  try {
    if (pdf.numPages > KNOWLEDGE_LIMITS.maxPages) {
      throw new DocumentUnreadableError(`the PDF has ${pdf.numPages} pages, more than ${KNOWLEDGE_LIMITS.maxPages}`);
    }
    let pages: string[];
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
    } catch {
      throw new DocumentUnreadableError('the PDF is damaged and its text cannot be read');
    }
    const sections = pages.flatMap((text, i) => {
      const paragraphs = paragraphsOf(text.normalize('NFC'));
      return paragraphs.length === 0 ? [] : [{ path: [], page: i + 1, paragraphs }];
    });
    if (sections.length === 0) throw new DocumentUnreadableError('the PDF has no text (a scan without a text layer?)');
    return { sections, pages: pdf.numPages };
  } finally {
    // Frees the worker-side document: a warm function reads many PDFs.
    await pdf.loadingTask.destroy();
  }
}
