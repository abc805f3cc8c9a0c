import type { Ban } from '../../../lambdas/domain/types';
import { t } from '../i18n';
import { roleAbilities } from '../present';
import type { Membership, Role, Room } from '../protocol';
import type { Invitation } from '../invitations';
import { settingsChange, type RoomSettingsChange } from '../room-admin';
import { h, replaceChildren, setText } from './dom';

export interface RoomSettingsActions {
  update(change: RoomSettingsChange): Promise<boolean>;
  remove(confirm: string): Promise<boolean>;
  transfer(userId: string): Promise<boolean>;
  bans(): Promise<Ban[] | undefined>;
  unban(userId: string): Promise<boolean>;
  /** The room's pending invitations; absent when the deployment has no invitations list. */
  invitations?(): Promise<Invitation[] | undefined>;
  revoke?(userId: string): Promise<boolean>;
}

/**
 * The open room's settings for its owner (name, topic, visibility, preview,
 * handing over, deleting with the name typed as confirmation) and its bans
 * for owners and moderators. Fields are filled from the room when it changes
 * and nobody is typing in them.
 */
export class RoomSettingsView {
  readonly element: HTMLElement;
  private readonly ownerPart: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly topic: HTMLInputElement;
  private readonly visibility: HTMLSelectElement;
  private readonly preview: HTMLInputElement;
  private readonly shareText: HTMLInputElement;
  private readonly guestAccess: HTMLSelectElement;
  private readonly heir: HTMLSelectElement;
  private readonly confirm: HTMLInputElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly banList: HTMLUListElement;
  private readonly banStatus: HTMLParagraphElement;
  private readonly inviteList: HTMLUListElement;
  private readonly inviteStatus: HTMLParagraphElement;
  private room: Room | undefined;
  private filledFrom = '';
  private heirsFrom = '';

  constructor(private readonly actions: RoomSettingsActions) {
    this.name = h('input', { id: 'room-settings-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
    this.topic = h('input', { id: 'room-settings-topic', name: 'topic', maxlength: 300, autocomplete: 'off' });
    this.visibility = h(
      'select',
      { id: 'room-settings-visibility', name: 'visibility' },
      h('option', { value: 'public' }, t().roomSettingsView.public),
      h('option', { value: 'private' }, t().roomSettingsView.private),
    );
    this.preview = h('input', { id: 'room-settings-preview', name: 'preview', type: 'checkbox' });
    this.shareText = h('input', { id: 'room-settings-share-text', name: 'shareMessageTextInEvents', type: 'checkbox' });
    // Guests come in through the embeddable widget (docs/widget.md); public rooms only.
    this.guestAccess = h(
      'select',
      { id: 'room-settings-guests', name: 'guestAccess' },
      h('option', { value: 'off' }, t().roomSettingsView.guestsOff),
      h('option', { value: 'read' }, t().roomSettingsView.guestsRead),
      h('option', { value: 'post' }, t().roomSettingsView.guestsPost),
    );
    const settings = h(
      'form',
      { className: 'room-settings-form', 'aria-label': t().roomSettingsView.title },
      h('label', { for: 'room-settings-name' }, t().roomSettingsView.name),
      this.name,
      h('label', { for: 'room-settings-topic' }, t().roomSettingsView.topic),
      this.topic,
      h('label', { for: 'room-settings-visibility' }, t().roomSettingsView.visibility),
      this.visibility,
      h('label', { className: 'checkbox' }, this.preview, t().roomSettingsView.preview),
      h('label', { className: 'checkbox' }, this.shareText, t().roomSettingsView.shareMessageTextInEvents),
      h('label', { for: 'room-settings-guests' }, t().roomSettingsView.guests),
      this.guestAccess,
      h('button', { type: 'submit' }, t().roomSettingsView.update),
    );
    settings.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });

    this.heir = h('select', { id: 'room-settings-heir', name: 'userId' });
    const transfer = h(
      'form',
      { className: 'room-transfer', 'aria-label': t().roomSettingsView.transferForm },
      h('label', { for: 'room-settings-heir' }, t().roomSettingsView.newOwner),
      this.heir,
      h('button', { type: 'submit' }, t().roomSettingsView.transfer),
    );
    transfer.addEventListener('submit', (event) => {
      event.preventDefault();
      const option = this.heir.selectedOptions[0];
      if (!option || option.value === '') return;
      if (!window.confirm(t().roomSettingsView.confirmTransfer(option.text))) return;
      void this.actions.transfer(option.value);
    });

    this.confirm = h('input', { id: 'room-settings-confirm', name: 'confirm', autocomplete: 'off' });
    this.deleteButton = h('button', { type: 'submit', className: 'danger', disabled: true }, t().roomSettingsView.delete);
    this.confirm.addEventListener('input', () => {
      this.deleteButton.disabled = this.confirm.value.trim() !== this.room?.name;
    });
    const remove = h(
      'form',
      { className: 'room-delete', 'aria-label': t().roomSettingsView.deleteForm },
      h('label', { for: 'room-settings-confirm' }, t().roomSettingsView.deleteHint),
      this.confirm,
      this.deleteButton,
    );
    remove.addEventListener('submit', (event) => {
      event.preventDefault();
      const confirm = this.confirm.value.trim();
      if (confirm !== this.room?.name) return;
      void this.actions.remove(confirm).then((ok) => {
        if (ok) this.confirm.value = '';
      });
    });
    this.ownerPart = h('div', { className: 'room-owner-settings' }, settings, transfer, remove);

    this.banList = h('ul', { className: 'ban-list' });
    this.banStatus = h('p', { className: 'hint', role: 'status' });
    const bans = h(
      'section',
      { className: 'room-bans', 'aria-labelledby': 'room-bans-title' },
      h('h3', { id: 'room-bans-title' }, t().roomSettingsView.bansTitle),
      h('button', { type: 'button', onclick: () => void this.showBans() }, t().roomSettingsView.showBans),
      this.banStatus,
      this.banList,
    );
    this.inviteList = h('ul', { className: 'ban-list pending-invitations' });
    this.inviteStatus = h('p', { className: 'hint', role: 'status' });
    const invitations = h(
      'section',
      { className: 'room-invitations', 'aria-labelledby': 'room-invitations-title', hidden: actions.invitations === undefined },
      h('h3', { id: 'room-invitations-title' }, t().roomSettingsView.invitationsTitle),
      h('button', { type: 'button', onclick: () => void this.showInvitations() }, t().roomSettingsView.showInvitations),
      this.inviteStatus,
      this.inviteList,
    );
    this.element = h(
      'section',
      { className: 'room-settings', 'aria-labelledby': 'room-settings-title', hidden: true },
      h('h2', { id: 'room-settings-title' }, t().roomSettingsView.title),
      this.ownerPart,
      invitations,
      bans,
    );
  }

  render(room: Room | undefined, role: Role | undefined, members: readonly Membership[] | undefined, me: string): void {
    const { canManage } = roleAbilities(role);
    this.element.hidden = room === undefined || !canManage;
    this.ownerPart.hidden = role !== 'owner';
    if (room === undefined) return;
    if (room.roomId !== this.room?.roomId) {
      replaceChildren(this.banList);
      setText(this.banStatus, '');
      replaceChildren(this.inviteList);
      setText(this.inviteStatus, '');
      this.confirm.value = '';
    }
    this.room = room;
    this.deleteButton.disabled = this.confirm.value.trim() !== room.name;
    const signature = JSON.stringify([room.roomId, room.name, room.topic, room.visibility, room.preview, room.shareMessageTextInEvents, room.guestAccess]);
    if (signature !== this.filledFrom && !this.ownerPart.contains(document.activeElement)) {
      this.filledFrom = signature;
      this.name.value = room.name;
      this.topic.value = room.topic ?? '';
      this.visibility.value = room.visibility;
      this.preview.checked = room.preview ?? true;
      this.shareText.checked = room.shareMessageTextInEvents ?? false;
      this.guestAccess.value = room.guestAccess ?? 'off';
    }
    const heirs = (members ?? []).filter((m) => m.userId !== me);
    const heirsSignature = JSON.stringify(heirs.map((m) => [m.userId, m.displayName]));
    if (heirsSignature !== this.heirsFrom) {
      this.heirsFrom = heirsSignature;
      replaceChildren(
        this.heir,
        h('option', { value: '' }, heirs.length === 0 ? t().roomSettingsView.noHeir : t().roomSettingsView.chooseHeir),
        ...heirs.map((m) => h('option', { value: m.userId }, m.displayName || m.userId)),
      );
    }
  }

  private async save(): Promise<void> {
    const room = this.room;
    if (room === undefined) return;
    const change = settingsChange(room, {
      name: this.name.value,
      topic: this.topic.value,
      visibility: this.visibility.value as Room['visibility'],
      preview: this.preview.checked,
      shareMessageTextInEvents: this.shareText.checked,
      guestAccess: this.guestAccess.value as NonNullable<Room['guestAccess']>,
    });
    if (Object.keys(change).length === 0) return;
    if (await this.actions.update(change)) this.filledFrom = '';
  }

  private async showInvitations(): Promise<void> {
    const invitations = await this.actions.invitations?.();
    if (invitations === undefined) return;
    setText(this.inviteStatus, invitations.length === 0 ? t().roomSettingsView.noInvitations : t().roomSettingsView.pending(invitations.length));
    replaceChildren(
      this.inviteList,
      ...invitations.map((invitation) =>
        h(
          'li',
          {},
          h('span', { className: 'member-name', title: invitation.userId }, invitation.inviteeName),
          h('span', { className: 'hint' }, t().roomSettingsView.invitedAs(t().roles[invitation.role], invitation.invitedByName)),
          h(
            'button',
            {
              type: 'button',
              'aria-label': t().roomSettingsView.withdrawLabel(invitation.inviteeName),
              onclick: () =>
                void this.actions.revoke?.(invitation.userId).then(async (ok) => {
                  if (ok) await this.showInvitations();
                }),
            },
            t().roomSettingsView.withdraw,
          ),
        ),
      ),
    );
  }

  private async showBans(): Promise<void> {
    const bans = await this.actions.bans();
    if (bans === undefined) return;
    setText(this.banStatus, bans.length === 0 ? t().roomSettingsView.noBans : t().roomSettingsView.banned(bans.length));
    replaceChildren(
      this.banList,
      ...bans.map((ban) =>
        h(
          'li',
          {},
          h('span', { className: 'member-name', title: ban.userId }, ban.userName ?? ban.userId),
          ban.reason !== undefined && h('span', { className: 'hint' }, ` (${ban.reason})`),
          h(
            'button',
            {
              type: 'button',
              'aria-label': t().roomSettingsView.unbanLabel(ban.userName ?? ban.userId),
              onclick: () =>
                void this.actions.unban(ban.userId).then(async (ok) => {
                  if (ok) await this.showBans();
                }),
            },
            t().roomSettingsView.unban,
          ),
        ),
      ),
    );
  }
}
