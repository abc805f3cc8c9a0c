import type { ChatMessage, Role } from '../protocol';
import { heldQueue } from '../held-queue';
import {
  changedMessages,
  toolsFor,
  type ModerationSettings,
  type ModerationSettingsPatch,
  type RoomTools,
} from '../room-tools';
import { t, type Catalogue } from '../i18n';
import { h, reconcile, replaceChildren, setText } from './dom';

const SPAN_ACTIONS = ['allow', 'redact', 'quarantine', 'block'] as const;
const WHOLE_ACTIONS = SPAN_ACTIONS.filter((action) => action !== 'redact');

const actionOptions = (actions: ReadonlyArray<keyof Catalogue['moderationView']['actions']>) =>
  actions.map((action) => [action, t().moderationView.actions[action]] as const);

const select = (id: string, options: ReadonlyArray<readonly [string, string]>) =>
  h('select', { id }, ...options.map(([value, label]) => h('option', { value }, label)));

const when = (iso: string) => new Date(iso).toLocaleString(t().locale);

/**
 * The Moderation tab: the room's moderation settings (owners change them,
 * moderators read them), every message of the room held for review, listed
 * by Parley a page at a time (*More*) and kept current by the messages
 * loaded (Approve releases, Reject deletes), and the originals of changed
 * messages, read on demand (each reading is audited by Parley).
 */
export class ModerationView {
  readonly element: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly fields: HTMLFieldSetElement;
  private readonly enabled: HTMLInputElement;
  private readonly pii: HTMLSelectElement;
  private readonly profanity: HTMLSelectElement;
  private readonly injection: HTMLSelectElement;
  private readonly scope: HTMLSelectElement;
  private readonly keepOriginals: HTMLInputElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly ownerHint: HTMLParagraphElement;
  private readonly settingsStatus: HTMLParagraphElement;
  private readonly settingsError: HTMLParagraphElement;
  private readonly held: HTMLUListElement;
  private readonly heldEmpty: HTMLParagraphElement;
  private readonly heldMore: HTMLButtonElement;
  private readonly heldError: HTMLParagraphElement;
  private readonly changed: HTMLUListElement;
  private readonly changedEmpty: HTMLParagraphElement;
  private roomId: string | undefined;
  /** What listHeldMessages answered for the room, where its next page starts, and what was decided here since. */
  private listed: ChatMessage[] = [];
  private heldCursor: string | undefined;
  private readonly gone = new Set<string>();
  private loaded: readonly ChatMessage[] = [];

  constructor(private readonly tools: RoomTools) {
    const strings = t().moderationView;
    this.enabled = h('input', { id: 'moderation-enabled', type: 'checkbox' });
    this.pii = select('moderation-pii', actionOptions(SPAN_ACTIONS));
    this.profanity = select('moderation-profanity', actionOptions(SPAN_ACTIONS));
    this.injection = select('moderation-injection', actionOptions(WHOLE_ACTIONS));
    this.scope = select('moderation-injection-scope', [
      ['addressedToAgents', strings.scopes.addressedToAgents],
      ['all', strings.scopes.all],
    ]);
    this.keepOriginals = h('input', { id: 'moderation-keep-originals', type: 'checkbox' });
    this.saveButton = h('button', { type: 'submit' }, strings.save);
    this.ownerHint = h('p', { className: 'hint', hidden: true }, strings.ownerOnly);
    this.settingsStatus = h('p', { className: 'hint', role: 'status' });
    this.settingsError = h('p', { className: 'form-error', role: 'alert' });
    this.fields = h(
      'fieldset',
      {},
      h('legend', {}, strings.checks),
      h('label', { className: 'checkbox' }, this.enabled, ` ${strings.enabled}`),
      h('label', { for: 'moderation-pii' }, strings.pii),
      this.pii,
      h('label', { for: 'moderation-profanity' }, strings.profanity),
      this.profanity,
      h('label', { for: 'moderation-injection' }, strings.injection),
      this.injection,
      h('label', { for: 'moderation-injection-scope' }, strings.scope),
      this.scope,
      h('label', { className: 'checkbox' }, this.keepOriginals, ` ${strings.keepOriginals}`),
    );
    this.form = h('form', { className: 'moderation-settings', 'aria-labelledby': 'moderation-settings-title' }, this.fields, this.ownerHint, this.saveButton, this.settingsStatus, this.settingsError);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });

    this.held = h('ul', { className: 'tool-list held-list', 'aria-labelledby': 'held-title' });
    this.heldEmpty = h('p', { className: 'hint' }, strings.heldNone);
    this.heldMore = h('button', { type: 'button', hidden: true, onclick: () => void this.loadHeld() }, strings.heldMore);
    this.heldError = h('p', { className: 'form-error', role: 'alert' });
    this.changed = h('ul', { className: 'tool-list changed-list', 'aria-labelledby': 'changed-title' });
    this.changedEmpty = h('p', { className: 'hint' }, strings.changedNone);
    this.element = h(
      'section',
      { className: 'moderation-tools', 'aria-labelledby': 'moderation-title' },
      h('h2', { id: 'moderation-title' }, strings.title),
      h('h3', { id: 'moderation-settings-title' }, strings.settings),
      this.form,
      h('h3', { id: 'held-title' }, strings.held),
      this.heldEmpty,
      this.held,
      this.heldMore,
      this.heldError,
      h('h3', { id: 'changed-title' }, strings.changed),
      this.changedEmpty,
      this.changed,
    );
  }

  /** Loads the room's settings (when the tab is shown). */
  async load(roomId: string, role: Role | undefined): Promise<void> {
    this.roomId = roomId;
    this.listed = [];
    this.heldCursor = undefined;
    this.gone.clear();
    void this.loadHeld(true);
    const owner = toolsFor(role).configureModeration;
    // Disabled until the room's settings are in: a choice made before they arrive would be overwritten by them.
    this.fields.disabled = true;
    this.saveButton.disabled = true;
    this.saveButton.hidden = !owner;
    this.ownerHint.hidden = owner;
    setText(this.settingsError, '');
    setText(this.settingsStatus, t().moderationView.loading);
    const answer = await this.tools.moderationSettings(roomId);
    if (roomId !== this.roomId) return;
    this.fields.disabled = !owner;
    this.saveButton.disabled = !owner;
    setText(this.settingsStatus, answer.ok && answer.value.defaults ? t().moderationView.defaults : '');
    if (answer.ok) this.fill(answer.value.settings);
    else setText(this.settingsError, answer.error);
  }

  /** The next page of the held queue from Parley (the first when `fresh`). */
  private async loadHeld(fresh = false): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined || (!fresh && this.heldCursor === undefined)) return;
    setText(this.heldError, '');
    this.heldMore.disabled = true;
    const answer = await this.tools.heldPage(roomId, fresh ? undefined : this.heldCursor);
    this.heldMore.disabled = false;
    if (roomId !== this.roomId) return;
    if (answer.ok) {
      this.listed = [...this.listed, ...answer.value.items];
      this.heldCursor = answer.value.nextCursor;
    } else {
      setText(this.heldError, answer.error);
    }
    this.render(roomId, this.loaded);
  }

  /** The held queue (Parley's pages joined with the messages loaded) and the changed messages loaded. */
  render(roomId: string, messages: readonly ChatMessage[]): void {
    this.roomId = roomId;
    this.loaded = messages;
    const held = heldQueue(this.listed, messages, this.gone);
    this.heldMore.hidden = this.heldCursor === undefined;
    const changed = changedMessages(messages).filter((m) => m.moderation !== 'quarantined');
    this.heldEmpty.hidden = held.length > 0;
    this.changedEmpty.hidden = changed.length > 0;
    reconcile(this.held, held, (m) => m.messageId, (m) => this.heldRow(m), () => undefined);
    reconcile(this.changed, changed, (m) => m.messageId, (m) => this.changedRow(m), () => undefined);
  }

  private fill(settings: ModerationSettings): void {
    this.enabled.checked = settings.enabled;
    this.pii.value = settings.pii.action;
    this.profanity.value = settings.profanity.action;
    this.injection.value = settings.injection.action;
    this.scope.value = settings.injection.scope;
    this.keepOriginals.checked = settings.keepOriginals;
  }

  private async save(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    const patch = {
      enabled: this.enabled.checked,
      pii: { action: this.pii.value },
      profanity: { action: this.profanity.value },
      injection: { action: this.injection.value, scope: this.scope.value },
      keepOriginals: this.keepOriginals.checked,
    } as ModerationSettingsPatch;
    setText(this.settingsError, '');
    setText(this.settingsStatus, t().moderationView.saving);
    const answer = await this.tools.saveModerationSettings(roomId, patch);
    setText(this.settingsStatus, answer.ok ? t().moderationView.saved : '');
    if (answer.ok) this.fill(answer.value.settings);
    else setText(this.settingsError, answer.error);
  }

  private messageLines(message: ChatMessage): Node[] {
    return [
      h('p', { className: 'tool-meta' }, `${message.senderName} · ${when(message.createdAt)}`, message.reasons?.length ? ` · ${message.reasons.join(', ')}` : ''),
      h('p', { className: 'tool-text', dir: 'auto' }, message.moderation === 'blocked' ? t().moderationView.withheld : message.text),
    ];
  }

  /** A button that reads the message's original into `target`, or says why not. */
  private originalButton(message: ChatMessage, target: HTMLElement, error: HTMLElement): HTMLButtonElement {
    const strings = t().moderationView;
    const button = h('button', { type: 'button', 'aria-label': strings.showOriginalLabel(message.senderName) }, strings.showOriginal);
    button.addEventListener('click', () => {
      const roomId = this.roomId;
      if (roomId === undefined) return;
      setText(error, '');
      void this.tools.original(roomId, message.messageId).then((answer) => {
        if (!answer.ok) return setText(error, answer.error);
        button.hidden = true;
        replaceChildren(target, h('span', { className: 'visually-hidden' }, strings.original), answer.value.text);
        target.hidden = false;
      });
    });
    return button;
  }

  private heldRow(message: ChatMessage): HTMLLIElement {
    const error = h('p', { className: 'form-error', role: 'alert' });
    const original = h('blockquote', { className: 'original', dir: 'auto', hidden: true });
    const decide = (approve: boolean) => {
      const roomId = this.roomId;
      if (roomId === undefined) return;
      setText(error, '');
      void (approve ? this.tools.release(roomId, message.messageId) : this.tools.reject(roomId, message.messageId)).then((answer) => {
        // The message leaves the queue here, and through the frames Parley sends (messageUpdated, messageRemoved).
        if (!answer.ok) return setText(error, answer.error);
        this.gone.add(message.messageId);
        this.render(roomId, this.loaded);
      });
    };
    const strings = t().moderationView;
    return h(
      'li',
      { className: 'tool-item' },
      ...this.messageLines(message),
      original,
      h(
        'div',
        { className: 'tool-actions' },
        h('button', { type: 'button', className: 'primary', 'aria-label': strings.approveLabel(message.senderName), onclick: () => decide(true) }, strings.approve),
        h('button', { type: 'button', 'aria-label': strings.rejectLabel(message.senderName), onclick: () => decide(false) }, strings.reject),
        message.redacted ? this.originalButton(message, original, error) : undefined,
      ),
      error,
    );
  }

  private changedRow(message: ChatMessage): HTMLLIElement {
    const error = h('p', { className: 'form-error', role: 'alert' });
    const original = h('blockquote', { className: 'original', dir: 'auto', hidden: true });
    return h(
      'li',
      { className: 'tool-item' },
      ...this.messageLines(message),
      original,
      h('div', { className: 'tool-actions' }, this.originalButton(message, original, error)),
      error,
    );
  }
}
