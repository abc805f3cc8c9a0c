import type { AgentChangesInput, AgentInfo, AgentSettingsInput, AgentTrigger } from '../protocol';
import { h, reconcile, replaceChildren, setText } from './dom';

export interface AgentsActions {
  add(agent: AgentSettingsInput): Promise<boolean>;
  update(handle: string, changes: AgentChangesInput): void;
  remove(handle: string): void;
}

const TRIGGERS: ReadonlyArray<readonly [AgentTrigger['mode'], string]> = [
  ['mention', 'When mentioned'],
  ['everyMessage', 'Every message'],
  ['ambient', 'Now and then'],
];

const triggerLabel = (trigger: AgentTrigger | undefined): string =>
  TRIGGERS.find(([mode]) => mode === trigger?.mode)?.[1] ?? 'When mentioned';

const rendered = new WeakMap<Element, string>();

/**
 * The open room's agents. Everyone sees who they are and when they speak;
 * owners and moderators add, change and remove them.
 */
export class AgentsView {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;
  private readonly form: HTMLFormElement;

  constructor(private readonly actions: AgentsActions) {
    this.heading = h('h2', { id: 'agents-title' }, 'Agents');
    this.list = h('ul', { className: 'agent-list' });
    this.empty = h('p', { className: 'hint' }, 'No agents in this room.');

    const handle = h('input', { id: 'agent-handle', name: 'handle', required: true, maxlength: 33, pattern: '@?[A-Za-z][A-Za-z0-9_\\-]{0,31}', autocomplete: 'off', 'aria-describedby': 'agent-handle-help' });
    const displayName = h('input', { id: 'agent-name', name: 'displayName', maxlength: 64, autocomplete: 'off' });
    const trigger = h('select', { id: 'agent-trigger', name: 'trigger' }, ...TRIGGERS.map(([mode, label]) => h('option', { value: mode }, label)));
    const memory = h('input', { id: 'agent-memory', name: 'useMemory', type: 'checkbox' });
    // Memory is on for a new agent, as the server's default; `defaultChecked` keeps it so after a reset.
    memory.defaultChecked = true;
    memory.checked = true;
    const prompt = h('textarea', { id: 'agent-prompt', name: 'systemPrompt', rows: 3, maxlength: 8000 });
    this.form = h(
      'form',
      { className: 'add-agent', hidden: true },
      h('h3', {}, 'Add an agent'),
      h('label', { for: 'agent-handle' }, 'Handle'),
      handle,
      h('p', { id: 'agent-handle-help', className: 'hint' }, 'People mention it as @handle.'),
      h('label', { for: 'agent-name' }, 'Display name (optional)'),
      displayName,
      h('label', { for: 'agent-trigger' }, 'Speaks'),
      trigger,
      h('label', { className: 'checkbox' }, memory, ' Remembers the room’s history'),
      h('label', { for: 'agent-prompt' }, 'Instructions (optional)'),
      prompt,
      h('button', { type: 'submit' }, 'Add agent'),
    );
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const settings: AgentSettingsInput = {
        handle: handle.value.trim(),
        ...(displayName.value.trim() === '' ? {} : { displayName: displayName.value.trim() }),
        ...(prompt.value.trim() === '' ? {} : { systemPrompt: prompt.value.trim() }),
        trigger: { mode: trigger.value as AgentTrigger['mode'] },
        useMemory: memory.checked,
      };
      void this.actions.add(settings).then((ok) => {
        if (!ok) return;
        this.form.reset();
      });
    });
    this.element = h('section', { className: 'agents', 'aria-labelledby': 'agents-title' }, this.heading, this.empty, this.list, this.form);
  }

  render(agents: readonly AgentInfo[] | undefined, canManage: boolean): void {
    const sorted = [...(agents ?? [])].sort((a, b) => a.handle.localeCompare(b.handle));
    setText(this.heading, agents === undefined ? 'Agents' : `Agents (${sorted.length})`);
    this.empty.hidden = agents === undefined || sorted.length > 0;
    this.form.hidden = !canManage;
    reconcile(
      this.list,
      sorted,
      (a) => a.handle,
      () => h('li', { className: 'agent' }),
      (element, agent) => this.updateRow(element, agent, canManage),
    );
  }

  private updateRow(element: HTMLLIElement, agent: AgentInfo, canManage: boolean): void {
    const signature = JSON.stringify([agent, canManage]);
    if (rendered.get(element) === signature) return;
    rendered.set(element, signature);
    const children: Node[] = [
      h('span', { className: 'agent-name' }, agent.displayName, ' ', h('span', { className: 'agent-handle' }, `@${agent.handle}`)),
      h(
        'span',
        { className: 'agent-details' },
        [triggerLabel(agent.trigger), agent.useMemory ? 'remembers the room' : undefined, agent.modelId].filter(Boolean).join(' · '),
      ),
    ];
    if (canManage) {
      const trigger = h(
        'select',
        {
          'aria-label': `When ${agent.displayName} speaks`,
          onchange: (e) => this.actions.update(agent.handle, { trigger: { mode: (e.target as HTMLSelectElement).value as AgentTrigger['mode'] } }),
        },
        ...TRIGGERS.map(([mode, label]) => h('option', { value: mode, selected: agent.trigger?.mode === mode }, label)),
      );
      const memory = h('input', {
        type: 'checkbox',
        'aria-label': `${agent.displayName} remembers the room`,
        checked: agent.useMemory,
        onchange: (e) => this.actions.update(agent.handle, { useMemory: (e.target as HTMLInputElement).checked }),
      });
      const answersAgents = h('input', {
        type: 'checkbox',
        'aria-label': `${agent.displayName} answers other agents that mention it`,
        checked: 'answersAgents' in agent && agent.answersAgents,
        onchange: (e) => this.actions.update(agent.handle, { answersAgents: (e.target as HTMLInputElement).checked }),
      });
      children.push(
        h(
          'span',
          { className: 'agent-actions' },
          trigger,
          h('label', { className: 'checkbox' }, memory, ' Memory'),
          h('label', { className: 'checkbox' }, answersAgents, ' Answers agents'),
          h('button', { type: 'button', 'aria-label': `Remove ${agent.displayName}`, onclick: () => this.actions.remove(agent.handle) }, 'Remove'),
        ),
      );
    }
    replaceChildren(element, ...children);
  }
}
