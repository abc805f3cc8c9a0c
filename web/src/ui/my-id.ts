import { h, setText } from './dom';
import { t } from '../i18n';

/**
 * The person's own user id, with a Copy button: what others paste to invite
 * them when they cannot search by name.
 */
export class MyId {
  readonly element: HTMLDivElement;
  private readonly value: HTMLElement;
  private readonly copied: HTMLSpanElement;

  constructor(userId: string, private readonly clipboard: Pick<Clipboard, 'writeText'> | undefined = globalThis.navigator?.clipboard) {
    this.value = h('code', { className: 'my-id-value', id: 'my-id-value' }, userId);
    this.copied = h('span', { className: 'hint', role: 'status' });
    const copy = h('button', { type: 'button', 'aria-describedby': 'my-id-value', onclick: () => void this.copy() }, t().myId.copy);
    this.element = h('div', { className: 'my-id' }, h('span', {}, t().myId.label), this.value, copy, this.copied);
  }

  render(userId: string): void {
    setText(this.value, userId);
  }

  private async copy(): Promise<void> {
    try {
      if (!this.clipboard) throw new Error('no clipboard');
      await this.clipboard.writeText(this.value.textContent ?? '');
      setText(this.copied, t().myId.copied);
    } catch {
      // Without clipboard access the id is selected instead, ready for Ctrl+C.
      const selection = window.getSelection();
      selection?.selectAllChildren(this.value);
      setText(this.copied, t().myId.selected);
    }
  }
}
