/**
 * Cutting a parsed document into the passages the index stores and search
 * returns. Pure and deterministic: the same document always gives the same
 * chunks, so re-indexing a version overwrites the same items.
 */

/** A part of a document with one heading path (or one page): its paragraphs, in order. */
export interface ParsedSection {
  /** Headings from the outermost in ("Warranty", "Returns"); empty before the first heading. */
  readonly path: readonly string[];
  /** The page, for a PDF (1-based). */
  readonly page?: number;
  readonly paragraphs: readonly string[];
}

/** A document's text as its parser read it, by structure. */
export interface ParsedDocument {
  readonly sections: readonly ParsedSection[];
  /** PDF only. */
  readonly pages?: number;
}

/** One passage of a document. */
export interface DocumentChunk {
  /** Position in the version, from 0. */
  readonly chunk: number;
  /** The heading path ("Warranty › Returns"), or the page ("page 12"), or "" before any heading. */
  readonly section: string;
  readonly page?: number;
  readonly text: string;
}

export interface ChunkingOptions {
  /** Characters a chunk aims for (it ends at the paragraph, sentence or word boundary before). */
  readonly targetChars: number;
  /** Characters of the previous chunk's end a chunk repeats, so a fact cut in two is whole in one of them. */
  readonly overlapChars: number;
}

/** About 250 tokens a chunk, 15 % overlap: four chunks fit an agent's prompt with room to spare. */
export const CHUNKING: ChunkingOptions = { targetChars: 1_000, overlapChars: 150 };

/** How a section path reads in a citation. */
export const SECTION_SEPARATOR = ' › ';
/** A heading path longer than this is cut: it is repeated on every chunk and citation. */
const MAX_SECTION_CHARS = 200;

const collapse = (text: string): string => text.replace(/\s+/gu, ' ').trim();

function sectionName(section: ParsedSection): string {
  const path = section.path.map(collapse).filter((h) => h !== '').join(SECTION_SEPARATOR);
  const name = path !== '' ? path : section.page !== undefined ? `page ${section.page}` : '';
  return name.length <= MAX_SECTION_CHARS ? name : `${name.slice(0, MAX_SECTION_CHARS - 1)}…`;
}

/**
 * The longest prefix of `text` of at most `max` characters that ends at a
 * sentence end, else at a space; the whole word when a single word is longer
 * (a URL), so no word is ever cut in two.
 */
function cutAt(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const window = text.slice(0, max + 1);
  const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
  if (sentence >= max / 2) return sentence + 1;
  const space = window.lastIndexOf(' ');
  if (space > 0) return space;
  const next = text.indexOf(' ', max);
  return next === -1 ? text.length : next;
}

/** The end of `text` to repeat at the start of the next chunk: at most `chars`, from a word's start. */
function tailOf(text: string, chars: number): string {
  if (chars <= 0 || text.length <= chars) return chars <= 0 ? '' : text;
  const from = text.indexOf(' ', text.length - chars);
  return from === -1 ? '' : text.slice(from + 1);
}

/** A section's text as pieces no longer than `max`: its paragraphs, long ones cut at sentences or words. */
function pieces(paragraphs: readonly string[], max: number): string[] {
  const out: string[] = [];
  for (const paragraph of paragraphs) {
    let rest = collapse(paragraph);
    while (rest !== '') {
      const end = cutAt(rest, max);
      out.push(rest.slice(0, end).trim());
      rest = rest.slice(end).trim();
    }
  }
  return out.filter((p) => p !== '');
}

/**
 * Cuts a document into chunks by its structure: a chunk never spans two
 * sections (headings, or pages of a PDF), gathers whole paragraphs up to
 * `targetChars`, cuts a longer paragraph at a sentence end or else between
 * words, and starts with the last `overlapChars` of the chunk before it in
 * the same section (from a word's start). Whitespace is collapsed; empty
 * sections give no chunk.
 *
 * @example
 * chunkDocument({ sections: [{ path: ['Warranty', 'Returns'], paragraphs: ['Returns are free within 30 days.'] }] })
 * // [{ chunk: 0, section: 'Warranty › Returns', text: 'Returns are free within 30 days.' }]
 */
export function chunkDocument(document: ParsedDocument, options: ChunkingOptions = CHUNKING): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  const overlap = Math.min(options.overlapChars, Math.floor(options.targetChars / 2));
  for (const section of document.sections) {
    const name = sectionName(section);
    const emit = (text: string) =>
      chunks.push({ chunk: chunks.length, section: name, ...(section.page !== undefined ? { page: section.page } : {}), text });
    let current = '';
    // A piece is at most targetChars - overlap, so the overlap and one piece always fit a chunk.
    for (const piece of pieces(section.paragraphs, options.targetChars - overlap)) {
      const joined = current === '' ? piece : `${current}\n${piece}`;
      if (joined.length <= options.targetChars) {
        current = joined;
        continue;
      }
      emit(current);
      const tail = tailOf(current, overlap);
      current = tail === '' ? piece : `${tail}\n${piece}`;
    }
    if (current !== '') emit(current);
  }
  return chunks;
}

/** Characters of a parsed document's text. */
export const charactersOf = (document: ParsedDocument): number =>
  document.sections.reduce((sum, s) => sum + s.paragraphs.reduce((n, p) => n + p.length, 0), 0);
