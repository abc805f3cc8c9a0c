import { SECTION_SEPARATOR } from './chunking';
import type { DocumentHit } from './indexing';

/** One numbered reference a reply carries: enough for the client to name the passage and open it. */
export interface Citation {
  /** The number the prompt and the reply use: [1], [2]… */
  readonly n: number;
  readonly documentId: string;
  readonly version: number;
  readonly chunk: number;
  readonly name: string;
  readonly section: string;
  readonly page?: number;
}

export interface CitedPassages {
  /** The passages for the agent's prompt, one numbered block each. */
  readonly prompt: string;
  readonly citations: Citation[];
}

export interface CitationOptions {
  /** Characters of one passage's text in the prompt at most (default: the whole chunk). */
  readonly maxPassageChars?: number;
}

/** Where a hit comes from, as a reader sees it: "Handbook › Warranty", "Handbook, page 12", "Handbook". */
export function citationLabel(hit: Pick<DocumentHit, 'name' | 'section' | 'page'>): string {
  const pageOnly = hit.page !== undefined && hit.section === `page ${hit.page}`;
  if (pageOnly) return `${hit.name}, page ${hit.page}`;
  const section = hit.section === '' ? hit.name : `${hit.name}${SECTION_SEPARATOR}${hit.section}`;
  return hit.page !== undefined ? `${section} (page ${hit.page})` : section;
}

const oneLine = (text: string): string => text.replace(/\s+/gu, ' ').trim();

/**
 * Numbers document hits for a reply: a prompt block the agent reads
 * ("[1] Handbook › Warranty: Returns are free…"), and the matching
 * citation list the reply carries so the client can link [1] to its
 * passage. Numbers follow the hits' order (best first), from 1.
 *
 * @example
 * citePassages([{ name: 'Handbook', section: 'Warranty', text: 'Two years.', documentId: 'd1', version: 1, chunk: 3, score: 1 }])
 * // { prompt: '[1] Handbook › Warranty: Two years.',
 * //   citations: [{ n: 1, documentId: 'd1', version: 1, chunk: 3, name: 'Handbook', section: 'Warranty' }] }
 */
export function citePassages(hits: readonly DocumentHit[], options: CitationOptions = {}): CitedPassages {
  const max = options.maxPassageChars;
  const citations: Citation[] = [];
  const blocks: string[] = [];
  hits.forEach((hit, i) => {
    const n = i + 1;
    const text = oneLine(hit.text);
    const quoted = max !== undefined && text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
    blocks.push(`[${n}] ${citationLabel(hit)}: ${quoted}`);
    citations.push({
      n,
      documentId: hit.documentId,
      version: hit.version,
      chunk: hit.chunk,
      name: hit.name,
      section: hit.section,
      ...(hit.page !== undefined ? { page: hit.page } : {}),
    });
  });
  return { prompt: blocks.join('\n\n'), citations };
}
