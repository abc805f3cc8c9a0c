import { t } from '../i18n';
import type { ApiKeyView, IntegrationsClient } from '../integrations';
import { h } from './dom';

/**
 * The Integrations section of a room's settings, for its owner: create an
 * API key (a name and what it may do), see its text once with a copy
 * button, list the room's keys with their last use, revoke one after
 * confirming. Every text is set as text, never as HTML.
 */
export class IntegrationsView {
  readonly element: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly read: HTMLInputElement;
  private readonly post: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly error: HTMLParagraphElement;
  private readonly secretBox: HTMLElement;
  private readonly secret: HTMLInputElement;
  private readonly copyStatus: HTMLParagraphElement;
  private readonly list: HTMLUListElement;
  private roomId: string | undefined;

  constructor(private readonly client: IntegrationsClient) {
    const strings = t().integrationsView;
    this.name = h('input', { id: 'integration-name', type: 'text', maxLength: 64, required: true, autocomplete: 'off' });
    this.read = h('input', { id: 'integration-read', type: 'checkbox', checked: true });
    this.post = h('input', { id: 'integration-post', type: 'checkbox', checked: true });
    this.submit = h('button', { type: 'submit' }, strings.create);
    this.error = h('p', { id: 'integration-error', className: 'form-error', role: 'alert' });
    const form = h(
      'form',
      { className: 'integrations-form', 'aria-labelledby': 'integrations-title', novalidate: true },
      h('label', { for: 'integration-name' }, strings.name),
      this.name,
      h(
        'fieldset',
        {},
        h('legend', {}, strings.scopes),
        h('label', {}, this.read, ` ${strings.read}`),
        h('label', {}, this.post, ` ${strings.post}`),
      ),
      this.submit,
      this.error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });

    this.secret = h('input', { id: 'integration-secret', type: 'text', readOnly: true, 'aria-describedby': 'integration-secret-help' });
    this.copyStatus = h('p', { className: 'hint', role: 'status' });
    this.secretBox = h(
      'div',
      { className: 'integration-secret', hidden: true },
      h('label', { for: 'integration-secret' }, strings.secretTitle),
      this.secret,
      h('button', { type: 'button', onclick: () => void this.copy() }, strings.copy),
      h('p', { id: 'integration-secret-help', className: 'hint' }, strings.secretHelp),
      this.copyStatus,
    );
    this.list = h('ul', { className: 'tool-list integration-keys', 'aria-label': strings.list });
    this.element = h(
      'section',
      { className: 'integrations', 'aria-labelledby': 'integrations-title' },
      h('h3', { id: 'integrations-title' }, strings.title),
      h('p', { className: 'hint' }, strings.help),
      form,
      this.secretBox,
      this.list,
    );
  }

  /** Shows the section for `roomId`, loading its keys when the room changed. */
  render(roomId: string): void {
    if (roomId === this.roomId) return;
    this.roomId = roomId;
    this.secretBox.hidden = true;
    this.secret.value = '';
    this.error.textContent = '';
    void this.load();
  }

  private async load(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    try {
      const keys = await this.client.list(roomId);
      if (roomId === this.roomId) this.showKeys(keys);
    } catch (error) {
      this.error.textContent = t().integrationsView.failed((error as Error).message);
    }
  }

  private async create(): Promise<void> {
    const strings = t().integrationsView;
    const roomId = this.roomId;
    const name = this.name.value.trim();
    const scopes = [...(this.read.checked ? ['read' as const] : []), ...(this.post.checked ? ['post' as const] : [])];
    if (roomId === undefined) return;
    if (name === '') return this.refuse(strings.needName, this.name);
    if (scopes.length === 0) return this.refuse(strings.needScope, this.read);
    this.error.textContent = '';
    this.submit.disabled = true;
    this.submit.textContent = strings.creating;
    try {
      const { secret } = await this.client.create(roomId, name, scopes);
      this.secret.value = secret;
      this.secretBox.hidden = false;
      this.copyStatus.textContent = '';
      // Ready for the next key, unless its name is already being typed.
      if (this.name.value.trim() === name) this.name.value = '';
      this.secret.focus();
      this.secret.select();
      await this.load();
    } catch (error) {
      this.error.textContent = strings.failed((error as Error).message);
    } finally {
      this.submit.disabled = false;
      this.submit.textContent = strings.create;
    }
  }

  private refuse(message: string, field: HTMLInputElement): void {
    this.error.textContent = message;
    field.focus();
  }

  private async copy(): Promise<void> {
    this.secret.select();
    try {
      await navigator.clipboard.writeText(this.secret.value);
      this.copyStatus.textContent = t().integrationsView.copied;
    } catch {
      // No clipboard permission: the text is selected, ready for the keyboard's copy.
    }
  }

  private showKeys(keys: readonly ApiKeyView[]): void {
    const strings = t().integrationsView;
    if (keys.length === 0) {
      this.list.replaceChildren(h('li', { className: 'hint' }, strings.none));
      return;
    }
    this.list.replaceChildren(...keys.map((key) => this.keyItem(key)));
  }

  private keyItem(key: ApiKeyView): HTMLLIElement {
    const strings = t().integrationsView;
    const used = key.lastUsedAt === undefined ? strings.neverUsed : strings.lastUsed(new Date(key.lastUsedAt).toLocaleString());
    const state = key.revokedAt === undefined ? used : strings.revoked;
    const item = h('li', { className: 'integration-key' }, h('strong', {}, key.name), ` · ${key.scopes.join(', ')} · ${state}`);
    if (key.revokedAt !== undefined) return item;
    const confirm = h('div', { className: 'integration-confirm', hidden: true, role: 'group', 'aria-label': strings.confirmRevoke(key.name) });
    const revoke = h('button', { type: 'button', 'aria-label': `${strings.revoke} ${key.name}` }, strings.revoke);
    revoke.addEventListener('click', () => {
      revoke.hidden = true;
      confirm.hidden = false;
      (confirm.querySelector('button') as HTMLButtonElement | null)?.focus();
    });
    const cancel = () => {
      confirm.hidden = true;
      revoke.hidden = false;
      revoke.focus();
    };
    confirm.append(
      h('p', {}, strings.confirmRevoke(key.name)),
      h('button', { type: 'button', className: 'danger', onclick: () => void this.revoke(key.keyId) }, strings.revoke),
      h('button', { type: 'button', onclick: cancel }, strings.cancel),
    );
    item.append(' ', revoke, confirm);
    return item;
  }

  private async revoke(keyId: string): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    try {
      await this.client.revoke(roomId, keyId);
      await this.load();
    } catch (error) {
      this.error.textContent = t().integrationsView.failed((error as Error).message);
    }
  }
}
