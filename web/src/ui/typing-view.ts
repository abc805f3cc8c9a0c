import { typingText, type Typist } from '../presence-state';
import { h, setText } from './dom';

/**
 * "Bob is typing…" under the open room's messages. A polite live region:
 * screen readers say it when the reader pauses, never mid-sentence. Each
 * notice lapses by itself at its `until`, without waiting for a render.
 */
export class TypingView {
  readonly element: HTMLParagraphElement;
  private typists: readonly Typist[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly now: () => number = () => Date.now()) {
    this.element = h('p', { className: 'typing', 'aria-live': 'polite', 'aria-atomic': 'true' });
  }

  render(typists: readonly Typist[]): void {
    this.typists = typists;
    this.refresh();
  }

  private refresh(): void {
    const now = this.now();
    const current = this.typists.filter((t) => t.until > now);
    setText(this.element, typingText(current));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (current.length === 0) return;
    const next = Math.min(...current.map((t) => t.until));
    this.timer = setTimeout(() => this.refresh(), Math.max(0, next - now) + 10);
  }
}
