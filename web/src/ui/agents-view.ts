import type { AgentChangesInput, AgentInfo, AgentTrigger } from '../protocol';
import { AgentFormView, type AgentFormActions } from './agent-form';
import { h, reconcile, replaceChildren, setText } from './dom';

export interface AgentsActions {
  update(handle: string, changes: AgentChangesInput): void;
  remove(handle: string): void;
  /** The full form's requests (owners and moderators). */
  readonly form: AgentFormActions;
  /**
   * What answers for every agent whatever model it names, where that is not
   * the model itself (locally, "offline model": config.json's modelServedBy).
   */
  readonly modelServedBy?: string;
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
  private readonly form: AgentFormView;
  private formShown = false;

  constructor(private readonly actions: AgentsActions) {
    this.heading = h('h2', { id: 'agents-title' }, 'Agents');
    this.list = h('ul', { className: 'agent-list' });
    this.empty = h('p', { className: 'hint' }, 'No agents in this room.');

    this.form = new AgentFormView(actions.form);
    this.element = h('section', { className: 'agents', 'aria-labelledby': 'agents-title' }, this.heading, this.empty, this.list, this.form.element);
  }

  render(agents: readonly AgentInfo[] | undefined, canManage: boolean): void {
    const sorted = [...(agents ?? [])].sort((a, b) => a.handle.localeCompare(b.handle));
    setText(this.heading, agents === undefined ? 'Agents' : `Agents (${sorted.length})`);
    this.empty.hidden = agents === undefined || sorted.length > 0;
    if (canManage !== this.formShown) {
      this.formShown = canManage;
      void this.form.show(canManage);
    }
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
        [triggerLabel(agent.trigger), agent.useMemory ? 'remembers the room' : undefined].filter(Boolean).join(' · '),
      ),
      h('span', { className: 'agent-model' }, this.modelText(agent.modelId)),
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
          h('button', { type: 'button', 'aria-label': `Edit ${agent.displayName}`, onclick: () => this.form.open(agent) }, 'Edit'),
          h('button', { type: 'button', 'aria-label': `Remove ${agent.displayName}`, onclick: () => this.actions.remove(agent.handle) }, 'Remove'),
        ),
      );
    }
    replaceChildren(element, ...children);
  }

  /** The model that answers: the configured one, or what stands in for every model here. */
  private modelText(modelId: string): string {
    const servedBy = this.actions.modelServedBy;
    return servedBy === undefined ? `Model: ${modelId}` : `Answered by the ${servedBy} (configured: ${modelId})`;
  }
}
