import { grantableRoles, invitableRoles, roleAbilities } from '../present';
import { t } from '../i18n';
import type { Membership, Role } from '../protocol';
import type { PersonSummary } from '../people';
import { h, reconcile, replaceChildren, setText } from './dom';
import { PersonPicker } from './person-picker';

export interface MembersActions {
  setRole(userId: string, role: Role): void;
  remove(userId: string): void;
  invite(userId: string, role: Exclude<Role, 'owner'>, name?: string): Promise<boolean>;
  /** Finds people by name for the invite form; without it the form takes a user id. */
  find?(query: string): Promise<PersonSummary[]>;
  /** Bans a member (after the person confirms). */
  ban?(userId: string, name: string): void;
}

const ROLE_ORDER: Record<Role, number> = { owner: 0, moderator: 1, member: 2, guest: 3 };
const rendered = new WeakMap<Element, string>();

/** The open room's members with their roles; owners and moderators manage them here. */
export class MembersView {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list: HTMLUListElement;
  private readonly inviteForm: HTMLFormElement;
  private readonly inviteRole: HTMLSelectElement;
  private myRole: Role | undefined;
  private members: readonly Membership[] = [];

  constructor(private readonly actions: MembersActions) {
    this.heading = h('h2', { id: 'members-title' }, t().membersView.title);
    this.list = h('ul', { className: 'member-list' });
    const find = actions.find?.bind(actions);
    const picker = find
      ? new PersonPicker({ inputId: 'invite-user', find, exclude: () => new Set(this.members.map((m) => m.userId)) })
      : undefined;
    const userInput = picker?.input ?? h('input', { id: 'invite-user', name: 'userId', required: true, maxlength: 128, autocomplete: 'off' });
    this.inviteRole = h('select', { id: 'invite-role', name: 'role' });
    this.inviteForm = h(
      'form',
      { className: 'invite', hidden: true },
      h('h3', {}, t().membersView.invite),
      h('label', { for: 'invite-user' }, picker ? t().membersView.nameOrId : t().membersView.userId),
      picker?.element ?? userInput,
      h('label', { for: 'invite-role' }, t().membersView.role),
      this.inviteRole,
      h('button', { type: 'submit' }, t().membersView.inviteSubmit),
    );
    this.inviteForm.addEventListener('submit', (event) => {
      event.preventDefault();
      // A person chosen from the search, else what was typed, taken as a user id.
      const chosen = picker?.value;
      const userId = chosen?.userId ?? userInput.value.trim();
      if (userId === '') return;
      const typed = userInput.value;
      void this.actions.invite(userId, this.inviteRole.value as Exclude<Role, 'owner'>, chosen?.displayName).then((ok) => {
        // The form starts again, unless the person is already typing the next one into it.
        if (!ok || userInput.value !== typed) return;
        if (picker) picker.reset();
        else userInput.value = '';
      });
    });
    this.element = h('section', { className: 'members', 'aria-labelledby': 'members-title' }, this.heading, this.list, this.inviteForm);
  }

  /** `online`: the members known to be online, shown with a dot and said in words. */
  render(members: readonly Membership[] | undefined, me: string, myRole: Role | undefined, online: ReadonlySet<string> = new Set()): void {
    this.members = members ?? [];
    const sorted = [...(members ?? [])].sort(
      (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.displayName.localeCompare(b.displayName),
    );
    setText(this.heading, members === undefined ? t().membersView.title : t().membersView.titleWithCount(sorted.length));
    reconcile(
      this.list,
      sorted,
      (m) => m.userId,
      () => h('li', { className: 'member' }),
      (element, member) => this.updateRow(element, member, me, myRole, online.has(member.userId)),
    );
    const { canManage } = roleAbilities(myRole);
    this.inviteForm.hidden = !canManage;
    if (myRole !== this.myRole) {
      this.myRole = myRole;
      const roles = invitableRoles(myRole);
      replaceChildren(this.inviteRole, ...roles.map((role) => h('option', { value: role, selected: role === 'member' }, t().roles[role])));
    }
  }

  private updateRow(element: HTMLLIElement, member: Membership, me: string, myRole: Role | undefined, online: boolean): void {
    const self = member.userId === me;
    const roles = grantableRoles(myRole, member.role, self);
    const signature = JSON.stringify([member.displayName, member.role, self, roles, online]);
    if (rendered.get(element) === signature) return;
    rendered.set(element, signature);
    const name = member.displayName || member.userId;
    element.dataset['online'] = String(online);
    const children: Node[] = [
      h('span', { className: `presence-dot${online ? ' online' : ''}`, 'aria-hidden': 'true' }),
      h('span', { className: 'member-name', title: member.userId }, self ? t().membersView.you(name) : name),
      h('span', { className: `role-badge role-${member.role}` }, t().roles[member.role]),
    ];
    if (roles.length > 0) {
      const select = h(
        'select',
        { 'aria-label': t().membersView.roleOf(name), onchange: (e) => this.actions.setRole(member.userId, (e.target as HTMLSelectElement).value as Role) },
        ...roles.map((role) => h('option', { value: role, selected: role === member.role }, t().roles[role])),
      );
      const remove = h('button', { type: 'button', 'aria-label': t().membersView.removeLabel(name), onclick: () => this.actions.remove(member.userId) }, t().membersView.remove);
      const ban =
        this.actions.ban && h('button', { type: 'button', 'aria-label': t().membersView.banLabel(name), onclick: () => this.actions.ban?.(member.userId, name) }, t().membersView.ban);
      children.push(h('span', { className: 'member-actions' }, select, remove, ban));
    }
    // Said after the row's other words, so the name still comes first.
    children.push(h('span', { className: 'visually-hidden' }, online ? t().membersView.online : t().membersView.offline));
    replaceChildren(element, ...children);
  }
}
