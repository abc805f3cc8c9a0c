import { activeMention, applyMention, type MentionCandidate } from '../mention-complete';
import { h, reconcile, setText } from './dom';
import { t } from '../i18n';

/**
 * @mention suggestions under a text box, as an ARIA combobox: the box keeps
 * the focus and points at the highlighted option (`aria-activedescendant`);
 * Arrow keys move, Enter or Tab picks, Escape closes. Enter on a handle
 * already typed in full sends instead, as it would without the list. Typing `@` and a few
 * letters opens it; the list holds the room's members and agents.
 */
export class MentionMenu {
  readonly element: HTMLUListElement;
  private options: MentionCandidate[] = [];
  private active = 0;
  /** The `@` where the writer pressed Escape: the list stays closed for that word. */
  private dismissedAt: number | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly candidates: (query: string) => MentionCandidate[],
    private readonly changed: () => void,
  ) {
    const id = `${input.id}-mentions`;
    this.element = h('ul', { id, className: 'mention-menu', role: 'listbox', 'aria-label': t().composer.mentionList, hidden: true });
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => this.close());
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** Handles a key while the list is open; true when the key was the list's (the box must not act on it too). */
  keydown(event: KeyboardEvent): boolean {
    if (!this.open || event.isComposing) return false;
    switch (event.key) {
      case 'ArrowDown':
        this.highlight((this.active + 1) % this.options.length);
        return true;
      case 'ArrowUp':
        this.highlight((this.active - 1 + this.options.length) % this.options.length);
        return true;
      case 'Enter':
      case 'Tab': {
        if (event.shiftKey) return false;
        // A handle typed out in full needs no picking: Enter then sends, as it would without the list.
        const typed = activeMention(this.input.value, this.input.selectionStart)?.query.toLowerCase();
        if (event.key === 'Enter' && typed === this.options[this.active]?.handle) {
          this.close();
          return false;
        }
        this.pick(this.active);
        return true;
      }
      case 'Escape':
        this.dismissedAt = activeMention(this.input.value, this.input.selectionStart)?.start;
        this.close();
        return true;
      default:
        return false;
    }
  }

  /** Looks at the word at the caret: opens, narrows or closes the list. */
  update(): void {
    const mention = this.input.selectionStart === this.input.selectionEnd ? activeMention(this.input.value, this.input.selectionStart) : undefined;
    if (mention?.start !== this.dismissedAt) this.dismissedAt = undefined;
    const options = mention && this.dismissedAt === undefined ? this.candidates(mention.query) : [];
    if (options.length === 0) return this.close();
    const current = this.options[this.active]?.handle;
    this.options = options;
    reconcile(
      this.element,
      options,
      (o) => `${o.kind}:${o.handle}`,
      (o) =>
        h(
          'li',
          {
            id: `${this.element.id}-${o.kind}-${o.handle}`,
            role: 'option',
            className: 'mention-option',
            // Picking by pointer must not take the focus from the box first.
            onmousedown: (event: Event) => event.preventDefault(),
            onclick: () => this.pick(this.options.findIndex((x) => x.kind === o.kind && x.handle === o.handle)),
          },
          h('span', { className: 'mention-handle' }, `@${o.handle}`),
          h('span', { className: 'mention-name' }),
        ),
      (element, o) => setText(element.lastChild as HTMLElement, o.kind === 'agent' ? `${o.name} · agent` : o.name),
    );
    this.element.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    const kept = options.findIndex((o) => o.handle === current);
    this.highlight(kept >= 0 ? kept : 0);
  }

  close(): void {
    this.element.hidden = true;
    this.options = [];
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private highlight(index: number): void {
    this.active = index;
    const items = [...this.element.children] as HTMLElement[];
    items.forEach((item, i) => item.setAttribute('aria-selected', String(i === index)));
    const chosen = items[index];
    if (chosen) {
      this.input.setAttribute('aria-activedescendant', chosen.id);
      chosen.scrollIntoView({ block: 'nearest' });
    }
  }

  private pick(index: number): void {
    const option = this.options[index];
    if (!option) return;
    const next = applyMention(this.input.value, this.input.selectionStart, option.handle);
    this.input.value = next.text;
    this.input.setSelectionRange(next.caret, next.caret);
    this.close();
    this.changed();
  }
}
