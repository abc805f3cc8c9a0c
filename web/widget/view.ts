import type { WidgetStrings } from './i18n';
import { WIDGET_CSS } from './styles';
import type { WidgetMessage } from './state';

/** Creates an element; text is only ever set as text, never parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

let counter = 0;

/**
 * The widget's DOM in a shadow root: a labelled region holding a heading,
 * the messages as a `role="log"` live region, a status line (`role="status"`),
 * and either the name form or the message form. Every control is a native
 * one with a label, so it is reachable and named for keyboards and screen readers.
 */
export class WidgetView {
  readonly nameForm: HTMLFormElement;
  readonly nameInput: HTMLInputElement;
  readonly messageForm: HTMLFormElement;
  readonly messageInput: HTMLInputElement;
  private readonly log: HTMLDivElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLParagraphElement;
  private readonly readOnlyNote: HTMLParagraphElement;
  private readonly joinButton: HTMLButtonElement;

  constructor(
    host: HTMLElement,
    private readonly strings: WidgetStrings,
    title: string,
  ) {
    counter += 1;
    const id = (name: string) => `parley-${name}-${counter}`;
    const root = host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = WIDGET_CSS;
    const region = el('section', { class: 'w', 'aria-labelledby': id('title'), lang: strings.locale });
    region.append(el('h2', { id: id('title') }, title));
    // The log holds a list: a role on the list itself would take away its items' list semantics.
    this.log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': strings.messagesLabel, tabindex: '0' });
    this.list = el('ul');
    this.log.append(this.list);
    this.status = el('p', { class: 'note', role: 'status' });
    this.readOnlyNote = el('p', { class: 'note', hidden: '' }, strings.readOnly);

    this.nameForm = el('form');
    this.nameInput = el('input', { id: id('name'), name: 'name', autocomplete: 'nickname', maxlength: '40', required: '' });
    this.joinButton = el('button', { type: 'submit' }, strings.join);
    this.nameForm.append(el('label', { for: id('name') }, strings.nameLabel), this.nameInput, this.joinButton);

    this.messageForm = el('form', { hidden: '' });
    this.messageInput = el('input', { id: id('message'), name: 'message', autocomplete: 'off', maxlength: '4000' });
    this.messageForm.append(el('label', { for: id('message') }, strings.messageLabel), this.messageInput, el('button', { type: 'submit' }, strings.send));

    region.append(this.log, this.status, this.readOnlyNote, this.nameForm, this.messageForm);
    root.append(style, region);
  }

  /** Says something in the status line (announced politely), or clears it. */
  say(text: string): void {
    this.status.textContent = text;
  }

  /** Shows the name form busy or ready again. */
  joining(busy: boolean): void {
    this.joinButton.disabled = busy;
    this.joinButton.textContent = busy ? this.strings.joining : this.strings.join;
  }

  /** Swaps the name form for the message form (or the read-only note), focusing what comes next. */
  joined(canPost: boolean): void {
    this.nameForm.hidden = true;
    this.setCanPost(canPost);
    // The guest just submitted their name: carry focus on to what they do next.
    (canPost ? this.messageInput : this.log).focus();
  }

  setCanPost(canPost: boolean): void {
    this.messageForm.hidden = !canPost;
    this.readOnlyNote.hidden = canPost;
  }

  /** Shows `messages`, keeping the reader's place unless they were at the bottom. */
  render(messages: readonly WidgetMessage[]): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 24;
    const items = messages.map((m) => {
      const item = el('li', m.mine ? { class: 'mine' } : {});
      item.append(el('span', { class: 'who' }, m.senderName), el('span', { class: 'text' }, m.text));
      return item;
    });
    if (items.length === 0) items.push(el('li', { class: 'empty' }, this.strings.empty));
    this.list.replaceChildren(...items);
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }
}
