import { textBudget } from '../message-size';
import { ownMessageControls } from '../own-messages';
import { formatTime } from '../present';
import type { ChatMessage } from '../protocol';
import { h, setText } from './dom';
import { t } from '../i18n';

export interface OwnMessageActions {
  /** Sends the edit; resolves the reason when Parley refused it (the editor then keeps the text). */
  edit(messageId: string, text: string): Promise<string | undefined>;
  /** Deletes the message for everyone (asked after the reader confirmed). */
  remove(messageId: string): void;
}

interface EditState {
  draft: string;
  error?: string;
  saving: boolean;
}

/**
 * The controls on the reader's own messages: a "Message actions" menu button
 * (shown on hover or focus, always reachable by keyboard) with Edit and
 * Delete, and the inline editor Edit opens. In the editor Enter saves,
 * Shift+Enter adds a line and Escape cancels; it counts bytes like the
 * composer, and a refused edit keeps its text with the reason beside it.
 * Edit state lives here, by message id, so a row rebuilt by a frame that
 * arrives meanwhile keeps the draft.
 */
export class OwnMessageControls {
  private readonly editing = new Map<string, EditState>();
  /** Messages whose deletion awaits the reader's confirmation. */
  private readonly confirming = new Set<string>();

  constructor(
    private readonly actions: OwnMessageActions,
    private readonly maxTextBytes: number,
    /** How long after sending a message may be edited (the deployment's, from config.json). */
    private readonly editWindowSeconds: number,
    /** Renders the timeline again after a change of state here. */
    private readonly changed: () => void,
  ) {}

  /** What a row's rendering depends on here (not the draft, so typing rebuilds nothing). */
  signatureOf(messageId: string): string {
    const state = this.editing.get(messageId);
    const confirming = this.confirming.has(messageId) ? 'confirming' : '';
    return state ? `editing:${state.saving}:${state.error ?? ''}:${confirming}` : confirming;
  }

  /**
   * The confirmation a deletion waits for, in the row itself (keyboard and
   * screen readers reach it like any control); undefined when none is asked.
   */
  confirmation(messageId: string): HTMLElement | undefined {
    if (!this.confirming.has(messageId)) return undefined;
    const questionId = `delete-question-${messageId}`;
    const confirm = h('button', { type: 'button' }, t().ownMessages.delete);
    const cancel = h('button', { type: 'button' }, t().ownMessages.keep);
    confirm.addEventListener('click', () => {
      this.confirming.delete(messageId);
      this.actions.remove(messageId);
      this.changed();
    });
    cancel.addEventListener('click', () => {
      this.confirming.delete(messageId);
      this.changed();
      this.focusMenuOf(messageId);
    });
    const group = h(
      'div',
      { className: 'delete-confirmation', role: 'group', 'aria-labelledby': questionId },
      h('span', { id: questionId }, t().ownMessages.confirmDelete),
      confirm,
      cancel,
    );
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel.click();
      }
    });
    queueMicrotask(() => {
      if (confirm.isConnected) confirm.focus();
    });
    return group;
  }

  isEditing(messageId: string): boolean {
    return this.editing.has(messageId);
  }

  /** The "(edited)" marker for the meta line; hovering (or a screen reader) gives the time of the edit. */
  editedMarker(message: ChatMessage, now: Date): HTMLElement | undefined {
    if (message.editedAt === undefined) return undefined;
    const when = t().ownMessages.editedAt(formatTime(message.editedAt, now));
    return h('time', { className: 'edited-marker', datetime: message.editedAt, title: when, 'aria-label': when }, t().ownMessages.edited);
  }

  /** The menu button for a message of the reader's; undefined when they may do nothing to it. */
  menu(message: ChatMessage, userId: string): HTMLElement | undefined {
    const controls = ownMessageControls(message, userId, { editWindowSeconds: this.editWindowSeconds, nowMs: Date.now() });
    if (!controls.canEdit && !controls.canDelete) return undefined;
    const { messageId } = message;
    const menuId = `own-menu-${messageId}`;
    const items: HTMLButtonElement[] = [];
    const close = (refocus: boolean) => {
      list.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      if (refocus) toggle.focus();
    };
    const item = (label: string, run: () => void) => {
      const button = h('button', { type: 'button', role: 'menuitem', tabindex: -1 }, label);
      button.addEventListener('click', () => {
        close(false);
        run();
      });
      items.push(button);
      return h('li', { role: 'none' }, button);
    };
    const list = h(
      'ul',
      { id: menuId, className: 'own-message-menu', role: 'menu', 'aria-label': t().ownMessages.actions, hidden: true },
      controls.canEdit && item(t().ownMessages.edit, () => this.open(message)),
      controls.canDelete &&
        item(t().ownMessages.delete, () => {
          this.confirming.add(messageId);
          this.changed();
        }),
    );
    const toggle = h('button', {
      type: 'button',
      className: 'own-message-toggle',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': menuId,
      'aria-label': t().ownMessages.actions,
      title: t().ownMessages.actions,
    }, '⋯');
    toggle.addEventListener('click', () => {
      const opening = list.hidden;
      list.hidden = !opening;
      toggle.setAttribute('aria-expanded', String(opening));
      if (opening) items[0]?.focus();
    });
    toggle.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      event.preventDefault();
      list.hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
      (event.key === 'ArrowDown' ? items[0] : items.at(-1))?.focus();
    });
    list.addEventListener('keydown', (event) => {
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      if (event.key === 'Escape') {
        event.preventDefault();
        close(true);
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        items[(at + step + items.length) % items.length]?.focus();
      } else if (event.key === 'Tab') {
        close(false);
      }
    });
    list.addEventListener('focusout', (event) => {
      if (!list.contains(event.relatedTarget as Node | null) && event.relatedTarget !== toggle) close(false);
    });
    return h('span', { className: 'own-message-actions' }, toggle, list);
  }

  /** The inline editor of a message being edited. */
  editor(message: ChatMessage): HTMLElement {
    const { messageId } = message;
    const state = this.editing.get(messageId) ?? { draft: message.text, saving: false };
    const inputId = `edit-${messageId}`;
    const countId = `edit-count-${messageId}`;
    const input = h('textarea', {
      id: inputId,
      className: 'edit-input',
      rows: 2,
      dir: 'auto',
      value: state.draft,
      disabled: state.saving,
      'aria-describedby': `edit-help-${messageId} ${countId}`,
    });
    const count = h('p', { id: countId, className: 'composer-count', 'aria-live': 'polite', hidden: true });
    const save = h('button', { type: 'submit', disabled: state.saving }, state.saving ? t().ownMessages.saving : t().ownMessages.save);
    const measure = () => {
      const budget = textBudget(input.value, this.maxTextBytes);
      count.hidden = budget.note === undefined;
      setText(count, budget.note ?? '');
      count.classList.toggle('over', budget.over);
      save.disabled = state.saving || budget.over;
      input.setAttribute('aria-invalid', String(budget.over));
      return !budget.over;
    };
    const submit = () => {
      if (input.value.trim() === '' || !measure() || state.saving) return;
      void this.save(messageId, input.value);
    };
    const form = h(
      'form',
      { className: 'edit-form', 'aria-label': t().ownMessages.editMessage },
      h('label', { for: inputId, className: 'visually-hidden' }, t().ownMessages.editMessage),
      input,
      h('div', { className: 'edit-buttons' }, save, h('button', { type: 'button', onclick: () => this.cancel(messageId) }, t().ownMessages.cancel)),
      count,
      state.error !== undefined && h('p', { className: 'send-error', role: 'alert' }, state.error),
      h('p', { id: `edit-help-${messageId}`, className: 'visually-hidden' }, t().ownMessages.editHelp),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    input.addEventListener('input', () => {
      state.draft = input.value;
      measure();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.cancel(messageId);
      }
    });
    measure();
    // Focus once the row is in the document (it is being built now).
    queueMicrotask(() => {
      if (!state.saving && input.isConnected) input.focus();
    });
    return form;
  }

  private open(message: ChatMessage): void {
    this.editing.set(message.messageId, { draft: message.text, saving: false });
    this.changed();
  }

  private cancel(messageId: string): void {
    this.editing.delete(messageId);
    this.changed();
    this.focusMenuOf(messageId);
  }

  private async save(messageId: string, text: string): Promise<void> {
    const state = this.editing.get(messageId);
    if (!state) return;
    state.draft = text;
    state.saving = true;
    delete state.error;
    this.changed();
    const refused = await this.actions.edit(messageId, text);
    if (refused === undefined) {
      this.editing.delete(messageId);
      this.changed();
      this.focusMenuOf(messageId);
      return;
    }
    state.saving = false;
    state.error = refused;
    this.changed();
  }

  private focusMenuOf(messageId: string): void {
    document.querySelector<HTMLButtonElement>(`[aria-controls="own-menu-${CSS.escape(messageId)}"]`)?.focus();
  }
}
