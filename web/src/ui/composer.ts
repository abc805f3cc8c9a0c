import { h } from './dom';

/**
 * The message box of the open room. Enter sends, Shift+Enter adds a line
 * (and Enter while an input method is composing is left to it).
 */
export class Composer {
  readonly element: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;

  /** `send` answers false when the text cannot go anywhere yet; the text then stays in the box. */
  constructor(private readonly send: (text: string) => boolean) {
    this.input = h('textarea', {
      id: 'composer-input',
      name: 'text',
      rows: 1,
      required: true,
      // Each message takes the direction of its first strong character (Arabic, Hebrew…).
      dir: 'auto',
      autocomplete: 'off',
      placeholder: 'Write a message',
      'aria-describedby': 'composer-help',
    });
    this.element = h(
      'form',
      { className: 'composer' },
      h('label', { for: 'composer-input', className: 'visually-hidden' }, 'Message'),
      this.input,
      h('button', { type: 'submit' }, 'Send'),
      h('p', { id: 'composer-help', className: 'visually-hidden' }, 'Enter sends, Shift+Enter adds a line.'),
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
  }

  focus(): void {
    if (!this.element.hidden) this.input.focus();
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim() === '') return;
    if (this.send(text)) this.input.value = '';
  }
}
