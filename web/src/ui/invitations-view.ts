import { invitationsInOrder, type Invitation, type Invitations } from '../invitations';
import { h, reconcile, replaceChildren, setText } from './dom';
import { t } from '../i18n';
import { invitationModeOf } from '../room-modes';
import { modeNoticeElement } from './mode-notice';

export interface InvitationsActions {
  accept(invitation: Invitation): Promise<boolean>;
  decline(invitation: Invitation): Promise<boolean>;
}

const rendered = new WeakMap<Element, string>();

/**
 * The invitations waiting for the person: which room, from whom, with
 * Accept and Decline. Hidden when there are none; a new one is announced
 * politely to screen readers.
 */
export class InvitationsView {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list: HTMLUListElement;

  constructor(private readonly actions: InvitationsActions) {
    this.heading = h('h2', { id: 'invitations-title' }, t().invitations.title);
    this.list = h('ul', { className: 'invitation-list', 'aria-live': 'polite' });
    this.element = h('section', { className: 'invitations', 'aria-labelledby': 'invitations-title', hidden: true }, this.heading, this.list);
  }

  render(invitations: Invitations): void {
    const ordered = invitationsInOrder(invitations);
    this.element.hidden = ordered.length === 0;
    setText(this.heading, t().invitations.titleWithCount(ordered.length));
    reconcile(
      this.list,
      ordered,
      (i) => i.roomId,
      () => h('li', { className: 'invitation' }),
      (element, invitation) => this.updateRow(element, invitation),
    );
  }

  private updateRow(element: HTMLLIElement, invitation: Invitation): void {
    // A game room's invitation says its mode and notice before Accept (Parley sends `roomMode` where it knows it).
    const mode = invitationModeOf(invitation);
    const signature = JSON.stringify([invitation.roomName, invitation.invitedByName, invitation.role, invitation.expiresAt, mode]);
    if (rendered.get(element) === signature) return;
    rendered.set(element, signature);
    const busy = (button: HTMLButtonElement, run: () => Promise<boolean>) => {
      button.disabled = true;
      void run().then(() => {
        button.disabled = false;
      });
    };
    const accept: HTMLButtonElement = h(
      'button',
      { type: 'button', 'aria-label': t().invitations.acceptLabel(invitation.roomName), onclick: () => busy(accept, () => this.actions.accept(invitation)) },
      t().invitations.accept,
    );
    const decline: HTMLButtonElement = h(
      'button',
      { type: 'button', 'aria-label': t().invitations.declineLabel(invitation.roomName), onclick: () => busy(decline, () => this.actions.decline(invitation)) },
      t().invitations.decline,
    );
    replaceChildren(
      element,
      h('p', { className: 'invitation-room' }, invitation.roomName),
      h(
        'p',
        { className: 'hint' },
        t().invitations.from(invitation.invitedByName, t().roles[invitation.role], new Date(invitation.expiresAt).toLocaleDateString(t().locale)),
      ),
      mode !== 'chat' && modeNoticeElement(mode),
      h('span', { className: 'invitation-actions' }, accept, decline),
    );
  }
}
