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
  /**
   * Passages numbered earlier in the same reply: a hit that is one of them
   * keeps its number, the others go on from the highest (default: none, from 1).
   */
  readonly earlier?: readonly Citation[];
}

/** Citations one reply carries at most: every passage its tool rounds could offer (3 rounds of 4). */
export const MAX_CITATIONS = 12;

/** Characters of a citation's name and section at most, so that a reply's citations fit its frame. */
export const CITATION_FIELD_CHARS = 120;

/** Where a hit comes from, as a reader sees it: "Handbook › Warranty", "Handbook, page 12", "Handbook". */
export function citationLabel(hit: Pick<DocumentHit, 'name' | 'section' | 'page'>): string {
  const pageOnly = hit.page !== undefined && hit.section === `page ${hit.page}`;
  if (pageOnly) return `${hit.name}, page ${hit.page}`;
  const section = hit.section === '' ? hit.name : `${hit.name}${SECTION_SEPARATOR}${hit.section}`;
  return hit.page !== undefined ? `${section} (page ${hit.page})` : section;
}

const oneLine = (text: string): string => text.replace(/\s+/gu, ' ').trim();

const passageKey = (p: Pick<Citation, 'documentId' | 'version' | 'chunk'>): string => `${p.documentId}#${p.version}#${p.chunk}`;

/**
 * Numbers document hits for a reply: a prompt block the agent reads
 * ("[1] Handbook › Warranty: Returns are free…"), and the matching
 * citation list the reply carries so the client can link [1] to its
 * passage. Numbers follow the hits' order (best first), from 1, or on from
 * the `earlier` passages of the reply; a hit already numbered keeps its
 * number and is not listed again (`citations` holds the new ones only).
 *
 * @example
 * citePassages([{ name: 'Handbook', section: 'Warranty', text: 'Two years.', documentId: 'd1', version: 1, chunk: 3, score: 1 }])
 * // { prompt: '[1] Handbook › Warranty: Two years.',
 * //   citations: [{ n: 1, documentId: 'd1', version: 1, chunk: 3, name: 'Handbook', section: 'Warranty' }] }
 */
export function citePassages(hits: readonly DocumentHit[], options: CitationOptions = {}): CitedPassages {
  const max = options.maxPassageChars;
  const earlier = new Map((options.earlier ?? []).map((c) => [passageKey(c), c.n]));
  let next = Math.max(0, ...earlier.values()) + 1;
  const citations: Citation[] = [];
  const blocks: string[] = [];
  hits.forEach((hit) => {
    const n = earlier.get(passageKey(hit)) ?? next++;
    const text = oneLine(hit.text);
    const quoted = max !== undefined && text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
    blocks.push(`[${n}] ${citationLabel(hit)}: ${quoted}`);
    if (earlier.has(passageKey(hit))) return;
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

const cut = (text: string): string => {
  const chars = Array.from(text);
  return chars.length <= CITATION_FIELD_CHARS ? text : `${chars.slice(0, CITATION_FIELD_CHARS - 1).join('')}…`;
};

/**
 * The citations a reply keeps: those whose number its text uses ("[2]"),
 * in number order, at most MAX_CITATIONS, names and sections cut to
 * CITATION_FIELD_CHARS. A passage the agent was offered but did not cite
 * is not a source of the reply: linking it would claim what the reply does
 * not say, and would spend the frame's bytes.
 *
 * @example
 * citedIn('Two years [2].', [c1, c2]) // [c2]
 */
export function citedIn(text: string, offered: readonly Citation[]): Citation[] {
  const used = new Set(Array.from(text.matchAll(/\[(\d{1,3})\]/gu), (m) => Number(m[1])));
  return offered
    .filter((c) => used.has(c.n))
    .sort((a, b) => a.n - b.n)
    .slice(0, MAX_CITATIONS)
    .map((c) => ({ ...c, name: cut(c.name), section: cut(c.section) }));
}
