import type { Citation } from '../../lambdas/domain/knowledge/citations';

export type { Citation };

/** What a citation opens: the passage as getDocumentPassage answers it. */
export interface Passage {
  readonly documentId: string;
  readonly version: number;
  readonly chunk: number;
  readonly name: string;
  readonly section: string;
  readonly page?: number;
  readonly text: string;
}

/** A passage, or Parley's reason why it cannot be opened (deleted, replaced, not a member). */
export type PassageResult = { readonly passage: Passage } | { readonly error: string };

/** One piece of a text that cites: plain text, or the citation a "[n]" marker names. */
export type CitedPart = string | Citation;

const MARKER = /\[(\d{1,3})\]/gu;

/**
 * Splits text at the "[n]" markers that name one of `citations`; a number
 * the reply carries no citation for stays text, as typed.
 *
 * @example
 * citedParts('a [1] b', [c1]) // ['a ', c1, ' b']
 */
export function citedParts(text: string, citations: readonly Citation[]): CitedPart[] {
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  const parts: CitedPart[] = [];
  let from = 0;
  for (const match of text.matchAll(MARKER)) {
    const citation = byNumber.get(Number(match[1]));
    if (citation === undefined) continue;
    if (match.index > from) parts.push(text.slice(from, match.index));
    parts.push(citation);
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/** Where a citation points, as a reader sees it: "Handbook › Warranty", with the page when there is one. */
export function citationPlace(citation: Pick<Citation, 'name' | 'section' | 'page'>, page: (n: number) => string): string {
  const parts = [citation.name];
  if (citation.section !== '' && citation.section !== `page ${citation.page}`) parts.push(citation.section);
  const place = parts.join(' › ');
  return citation.page !== undefined ? `${place} (${page(citation.page)})` : place;
}

/** The citations of a message, when it is an agent's reply that carries some. */
export const citationsOf = (message: { readonly citations?: readonly Citation[] } | undefined): readonly Citation[] =>
  message?.citations ?? [];
