import type { MentionCandidate } from '../mention-complete';
import { t } from '../i18n';
import { textBudget } from '../message-size';
import { h, setText } from './dom';
import { MentionMenu } from './mention-menu';

/**
 * The message box of the open room. Enter sends, Shift+Enter adds a line
 * (and Enter while an input method is composing is left to it). Near
 * Parley's size limit it counts the bytes left; over it, Send is disabled
 * and the box says why, since Parley would refuse the message.
 */
export class Composer {
  readonly element: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly count: HTMLParagraphElement;
  private readonly mentions: MentionMenu | undefined;

  /** `send` answers false when the text cannot go anywhere yet; the text then stays in the box. */
  constructor(
    private readonly send: (text: string) => boolean,
    private readonly maxTextBytes: number,
    /** Who `@` may name in the open room, for the suggestions list. */
    mentionCandidates?: (query: string) => MentionCandidate[],
  ) {
    this.input = h('textarea', {
      id: 'composer-input',
      name: 'text',
      rows: 1,
      required: true,
      autocomplete: 'off',
      placeholder: t().composerView.placeholder,
      // Each message takes the direction of its first strong character (Arabic, Hebrew…).
      dir: 'auto',
      'aria-describedby': 'composer-help composer-count',
    });
    this.sendButton = h('button', { type: 'submit' }, t().composerView.send);
    // Polite: read out when the writer pauses, not at every key.
    this.count = h('p', { id: 'composer-count', className: 'composer-count', 'aria-live': 'polite', hidden: true });
    this.mentions = mentionCandidates && new MentionMenu(this.input, mentionCandidates, () => this.measure());
    this.element = h(
      'form',
      { className: 'composer' },
      this.mentions?.element,
      h('label', { for: 'composer-input', className: 'visually-hidden' }, t().composerView.label),
      this.input,
      this.sendButton,
      this.count,
      h('p', { id: 'composer-help', className: 'visually-hidden' }, t().composerView.help),
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      if (this.mentions?.keydown(event)) {
        event.preventDefault();
        // Escape closes the list, not the drawers around the box.
        event.stopPropagation();
        return;
      }
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.measure());
  }

  focus(): void {
    if (!this.element.hidden) this.input.focus();
  }

  /** Puts a message back in the box to be edited, unless the writer has started another one. */
  restore(text: string): boolean {
    if (this.input.value.trim() !== '') return false;
    this.input.value = text;
    this.measure();
    return true;
  }

  private measure(): boolean {
    const budget = textBudget(this.input.value, this.maxTextBytes);
    this.count.hidden = budget.note === undefined;
    setText(this.count, budget.note ?? '');
    this.count.classList.toggle('over', budget.over);
    this.sendButton.disabled = budget.over;
    this.input.setAttribute('aria-invalid', String(budget.over));
    return !budget.over;
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim() === '' || !this.measure()) return;
    if (this.send(text)) {
      this.input.value = '';
      this.measure();
    }
  }
}
