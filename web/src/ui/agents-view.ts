import type { AgentChangesInput, AgentInfo, AgentTrigger } from '../protocol';
import { AgentFormView, type AgentFormActions } from './agent-form';
import { t } from '../i18n';
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

const TRIGGERS: ReadonlyArray<AgentTrigger['mode']> = ['mention', 'everyMessage', 'ambient'];

const triggerLabel = (trigger: AgentTrigger | undefined): string =>
  t().agentsView.triggers[TRIGGERS.find((mode) => mode === trigger?.mode) ?? 'mention'];

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
    this.heading = h('h2', { id: 'agents-title' }, t().agentsView.title);
    this.list = h('ul', { className: 'agent-list' });
    this.empty = h('p', { className: 'hint' }, t().agentsView.none);

    this.form = new AgentFormView(actions.form);
    this.element = h('section', { className: 'agents', 'aria-labelledby': 'agents-title' }, this.heading, this.empty, this.list, this.form.element);
  }

  render(agents: readonly AgentInfo[] | undefined, canManage: boolean): void {
    const sorted = [...(agents ?? [])].sort((a, b) => a.handle.localeCompare(b.handle));
    setText(this.heading, agents === undefined ? t().agentsView.title : t().agentsView.titleWithCount(sorted.length));
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
    const strings = t().agentsView;
    const children: Node[] = [
      h('span', { className: 'agent-name' }, agent.displayName, ' ', h('span', { className: 'agent-handle' }, `@${agent.handle}`)),
      h(
        'span',
        { className: 'agent-details' },
        [triggerLabel(agent.trigger), agent.useMemory ? strings.remembers : undefined].filter(Boolean).join(' · '),
      ),
      h('span', { className: 'agent-model' }, this.modelText(agent.modelId)),
    ];
    if (canManage) {
      const trigger = h(
        'select',
        {
          'aria-label': strings.whenSpeaks(agent.displayName),
          onchange: (e) => this.actions.update(agent.handle, { trigger: { mode: (e.target as HTMLSelectElement).value as AgentTrigger['mode'] } }),
        },
        ...TRIGGERS.map((mode) => h('option', { value: mode, selected: agent.trigger?.mode === mode }, strings.triggers[mode])),
      );
      const memory = h('input', {
        type: 'checkbox',
        'aria-label': strings.remembersLabel(agent.displayName),
        checked: agent.useMemory,
        onchange: (e) => this.actions.update(agent.handle, { useMemory: (e.target as HTMLInputElement).checked }),
      });
      const answersAgents = h('input', {
        type: 'checkbox',
        'aria-label': strings.answersAgentsLabel(agent.displayName),
        checked: 'answersAgents' in agent && agent.answersAgents,
        onchange: (e) => this.actions.update(agent.handle, { answersAgents: (e.target as HTMLInputElement).checked }),
      });
      children.push(
        h(
          'span',
          { className: 'agent-actions' },
          trigger,
          h('label', { className: 'checkbox' }, memory, ` ${strings.memory}`),
          h('label', { className: 'checkbox' }, answersAgents, ` ${strings.answersAgents}`),
          h('button', { type: 'button', 'aria-label': strings.editLabel(agent.displayName), onclick: () => this.form.open(agent) }, strings.edit),
          h('button', { type: 'button', 'aria-label': strings.removeLabel(agent.displayName), onclick: () => this.actions.remove(agent.handle) }, strings.remove),
        ),
      );
    }
    replaceChildren(element, ...children);
  }

  /** The model that answers: the configured one, or what stands in for every model here. */
  private modelText(modelId: string): string {
    const servedBy = this.actions.modelServedBy;
    return servedBy === undefined ? t().agentsView.model(modelId) : t().agentsView.answeredBy(servedBy, modelId);
  }
}
