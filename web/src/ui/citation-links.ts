import { citationPlace, citedParts, type Citation, type PassageResult } from '../citations';
import { t } from '../i18n';
import { h, replaceChildren } from './dom';

/** What a reply's citations need: opening one passage. */
export interface CitationActions {
  open(citation: Citation): Promise<PassageResult>;
}

const label = (citation: Citation): string => t().citations.sourceLabel(citation.n, citationPlace(citation, t().citations.page));

/** A citation as a link-styled button: keyboard-reachable, named for the passage it opens. */
const sourceButton = (citation: Citation, text: string, onOpen: (citation: Citation, opener: HTMLElement) => void): HTMLButtonElement => {
  const button = h('button', { type: 'button', className: 'citation-link', 'aria-label': label(citation), title: citationPlace(citation, t().citations.page) }, text);
  button.addEventListener('click', () => onOpen(citation, button));
  return button;
};

/** Elements whose text is shown as typed: a marker inside code or a link stays text. */
const VERBATIM = new Set(['CODE', 'PRE', 'A', 'BUTTON']);

/**
 * Turns the "[n]" markers of a rendered reply that match one of its
 * citations into buttons that open the passage. Only text nodes are split:
 * the text stays text, never markup.
 */
export function linkCitations(container: HTMLElement, citations: readonly Citation[], onOpen: (citation: Citation, opener: HTMLElement) => void): void {
  if (citations.length === 0) return;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!VERBATIM.has(node.parentElement?.tagName ?? '') && !node.parentElement?.closest('code, pre, a')) texts.push(node as Text);
  }
  for (const text of texts) {
    const parts = citedParts(text.data, citations);
    if (parts.length === 1 && typeof parts[0] === 'string') continue;
    text.replaceWith(...parts.map((part) => (typeof part === 'string' ? document.createTextNode(part) : sourceButton(part, `[${part.n}]`, onOpen))));
  }
}

/** The "Sources" list under a reply: one entry per citation, each opening its passage. */
export function sourcesList(citations: readonly Citation[], onOpen: (citation: Citation, opener: HTMLElement) => void): HTMLElement {
  return h(
    'div',
    { className: 'citation-sources', role: 'group', 'aria-label': t().citations.sources },
    h('p', { className: 'citation-sources-title', 'aria-hidden': 'true' }, t().citations.sources),
    h(
      'ol',
      {},
      ...citations.map((citation) =>
        h('li', { value: citation.n }, sourceButton(citation, citationPlace(citation, t().citations.page), onOpen)),
      ),
    ),
  );
}

/**
 * The dialog that shows a cited passage: modal (focus moves into it and
 * stays), Escape or Close shuts it and focus returns to the source that
 * opened it. The passage is shown as text.
 */
export class PassageDialog {
  readonly element: HTMLDialogElement;
  private readonly heading: HTMLElement;
  private readonly body: HTMLElement;
  private opener: HTMLElement | undefined;
  private asked = 0;

  constructor(private readonly actions: CitationActions) {
    this.heading = h('h2', { id: 'passage-dialog-title', className: 'passage-title' });
    this.body = h('div', { className: 'passage-body', 'aria-live': 'polite' });
    const close = h('button', { type: 'button', className: 'passage-close', onclick: () => this.element.close() }, t().citations.close);
    this.element = h('dialog', { className: 'passage-dialog', 'aria-labelledby': 'passage-dialog-title' }, this.heading, this.body, close);
    this.element.addEventListener('close', () => {
      this.asked += 1;
      this.opener?.focus();
      this.opener = undefined;
    });
  }

  /** Opens the dialog on `citation`, asks Parley for its passage and shows it, or why it cannot. */
  async open(citation: Citation, opener: HTMLElement): Promise<void> {
    if (!this.element.isConnected) document.body.append(this.element);
    this.opener = opener;
    const asked = ++this.asked;
    replaceChildren(this.heading, t().citations.sourceLabel(citation.n, citationPlace(citation, t().citations.page)));
    replaceChildren(this.body, h('p', { className: 'passage-loading', role: 'status' }, t().citations.loading));
    if (!this.element.open) this.element.showModal();
    const result = await this.actions.open(citation).catch((): PassageResult => ({ error: t().citations.failed }));
    // Closed meanwhile, or another source opened: this answer is no longer wanted.
    if (asked !== this.asked) return;
    if ('error' in result) {
      replaceChildren(this.body, h('p', { className: 'passage-error', role: 'alert' }, result.error));
      return;
    }
    const { passage } = result;
    replaceChildren(this.heading, t().citations.sourceLabel(citation.n, citationPlace(passage, t().citations.page)));
    replaceChildren(this.body, h('blockquote', { className: 'passage-text', dir: 'auto' }, passage.text));
  }
}
