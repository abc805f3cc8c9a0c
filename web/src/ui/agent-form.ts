import { AGENT_LIMITS, AGENT_TEXT_LIMITS } from '../../../lambdas/domain/agents/limits';
import type { AgentInfo, AgentTrigger } from '../protocol';
import {
  agentFormOf,
  agentFormProblems,
  NEW_AGENT_FORM,
  type AgentForm,
  type AgentFormField,
  type AgentModels,
  type Outcome,
} from '../room-tools';
import { t } from '../i18n';
import { h, replaceChildren, setText } from './dom';
import { AgentToolsField } from './agent-tools-field';

export interface AgentFormActions {
  /** The models to offer; undefined when Parley did not say (any model id may then be typed). */
  models(): Promise<Outcome<AgentModels | undefined>>;
  /** Adds (no `before`) or changes an agent; resolves with Parley's refusal, if any. */
  save(form: AgentForm, before: AgentForm | undefined): Promise<Outcome<unknown>>;
}

const TRIGGERS: ReadonlyArray<AgentTrigger['mode']> = ['mention', 'everyMessage', 'ambient'];

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const range = (name: keyof typeof AGENT_LIMITS) => `${AGENT_LIMITS[name].min}–${AGENT_LIMITS[name].max}`;

/**
 * The whole agent form, for a new agent or one being edited: model (from
 * the deployment's allowed list), temperature, instructions, persona,
 * memory and recall, history window, daily token budget, when it speaks
 * and whether it answers other agents. Each field is checked as it is left
 * and on saving, with Parley's own bounds; a refusal shows under the form.
 */
export class AgentFormView {
  readonly element: HTMLFormElement;
  private readonly title: HTMLHeadingElement;
  private readonly controls = new Map<AgentFormField, Control>();
  private readonly errors = new Map<AgentFormField, HTMLParagraphElement>();
  private readonly modelSlot: HTMLDivElement;
  private readonly status: HTMLParagraphElement;
  private readonly error: HTMLParagraphElement;
  private readonly submit: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private models: AgentModels | undefined;
  private editing: AgentForm | undefined;
  /** Fields the person has left or tried to save: only those show their problem. */
  private readonly touched = new Set<AgentFormField>();
  private readonly tools = new AgentToolsField();

  constructor(private readonly actions: AgentFormActions) {
    this.title = h('h3', { id: 'agent-form-title' }, t().agentForm.addTitle);
    this.modelSlot = h('div', { className: 'field' });
    this.status = h('p', { className: 'hint', role: 'status' });
    this.error = h('p', { className: 'form-error', role: 'alert' });
    this.submit = h('button', { type: 'submit', className: 'primary' }, t().agentForm.add);
    this.cancel = h('button', { type: 'button', hidden: true, onclick: () => this.open(undefined) }, t().agentForm.cancel);
    const text = (field: AgentFormField, label: string, props: Record<string, string | number | boolean>, hint?: string) =>
      this.field(field, label, h('input', { autocomplete: 'off', ...props }), hint);
    const strings = t().agentForm;
    this.element = h(
      'form',
      { className: 'agent-form', 'aria-labelledby': 'agent-form-title', novalidate: true, hidden: true },
      this.title,
      text('handle', strings.handle, { maxlength: 33 }, strings.handleHint),
      text('displayName', strings.displayName, { maxlength: AGENT_TEXT_LIMITS.displayName }),
      this.modelSlot,
      text('temperature', strings.temperature, { inputmode: 'decimal' }, strings.temperatureHint(range('temperature'))),
      this.field('systemPrompt', strings.instructions, h('textarea', { rows: 3 }), strings.upTo(AGENT_TEXT_LIMITS.systemPrompt)),
      this.field('persona', strings.persona, h('textarea', { rows: 2 }), strings.upTo(AGENT_TEXT_LIMITS.persona)),
      this.field('trigger', strings.speaks, h('select', {}, ...TRIGGERS.map((mode) => h('option', { value: mode }, strings.triggers[mode])))),
      this.checkbox('answersAgents', strings.answersAgents),
      this.checkbox('useMemory', strings.useMemory),
      text('retrievalK', strings.retrievalK, { inputmode: 'numeric' }, range('retrievalK')),
      text('historyWindow', strings.historyWindow, { inputmode: 'numeric' }, range('historyWindow')),
      text('dailyTokenBudget', strings.dailyTokenBudget, { inputmode: 'numeric' }, strings.dailyTokenBudgetHint(range('dailyTokenBudget'))),
      this.tools.element,
      h('div', { className: 'tool-actions' }, this.submit, this.cancel),
      this.status,
      this.error,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    this.setModels(undefined);
    this.fill(NEW_AGENT_FORM);
  }

  /** Shows the form empty for a new agent, or filled from `agent` to edit it. */
  open(agent: AgentInfo | undefined): void {
    this.editing = agent === undefined ? undefined : agentFormOf(agent);
    this.touched.clear();
    setText(this.title, agent === undefined ? t().agentForm.addTitle : t().agentForm.editTitle(agent.displayName));
    setText(this.submit, agent === undefined ? t().agentForm.add : t().agentForm.saveChanges);
    this.cancel.hidden = agent === undefined;
    (this.controls.get('handle') as HTMLInputElement).disabled = agent !== undefined;
    setText(this.error, '');
    setText(this.status, '');
    this.fill(this.editing ?? NEW_AGENT_FORM);
    if (agent !== undefined) this.controls.get('displayName')?.focus();
  }

  /** Shows or hides the form (managers only) and, when shown, asks which models may be chosen. */
  async show(visible: boolean): Promise<void> {
    this.element.hidden = !visible;
    if (!visible) return;
    const answer = await this.actions.models();
    if (answer.ok) this.setModels(answer.value);
  }

  get isEditing(): boolean {
    return this.editing !== undefined;
  }

  private field(name: AgentFormField, label: string, control: Control, hint?: string): HTMLElement {
    const id = `agent-form-${name}`;
    const error = h('p', { id: `${id}-error`, className: 'form-error field-error' });
    const hintId = hint === undefined ? undefined : `${id}-hint`;
    control.id = id;
    control.setAttribute('name', name);
    control.setAttribute('aria-describedby', [hintId, `${id}-error`].filter(Boolean).join(' '));
    control.addEventListener('blur', (event) => {
      this.touched.add(name);
      // Leaving for the save button: saving checks every field. Showing a
      // problem now would move the button between press and release, and the
      // click would be lost.
      if ((event as FocusEvent).relatedTarget !== this.submit) this.check();
    });
    control.addEventListener('input', () => this.check());
    this.controls.set(name, control);
    this.errors.set(name, error);
    return h('div', { className: 'field' }, h('label', { for: id }, label), control, hint === undefined ? undefined : h('p', { id: hintId, className: 'hint' }, hint), error);
  }

  private checkbox(name: 'useMemory' | 'answersAgents', label: string): HTMLElement {
    const input = h('input', { type: 'checkbox', id: `agent-form-${name}`, name });
    this.controls.set(name, input);
    return h('label', { className: 'checkbox' }, input, ` ${label}`);
  }

  /** The model control: a list of the allowed models, or free text where the deployment allows any. */
  private setModels(models: AgentModels | undefined): void {
    const current = (this.controls.get('modelId')?.value ?? this.editing?.modelId) || '';
    this.models = models;
    const control =
      models !== undefined && models.allowed.length > 0
        ? h(
            'select',
            {},
            h('option', { value: '' }, t().agentForm.defaultModel(models.default)),
            ...models.allowed.map((id) => h('option', { value: id }, id)),
          )
        : h('input', { autocomplete: 'off', placeholder: models?.default ?? '' });
    replaceChildren(this.modelSlot);
    const field = this.field('modelId', t().agentForm.model, control, models === undefined ? undefined : t().agentForm.modelHint(models.default));
    this.modelSlot.append(...field.childNodes);
    control.value = current;
  }

  private fill(form: AgentForm): void {
    this.tools.value = form.tools;
    for (const [name, control] of this.controls) {
      const value = form[name];
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
      else control.value = String(value);
    }
    this.check();
  }

  private read(): AgentForm {
    const value = (name: AgentFormField) => this.controls.get(name)?.value ?? '';
    const checked = (name: AgentFormField) => (this.controls.get(name) as HTMLInputElement | undefined)?.checked ?? false;
    return {
      handle: value('handle'),
      displayName: value('displayName'),
      modelId: value('modelId'),
      temperature: value('temperature'),
      systemPrompt: value('systemPrompt'),
      persona: value('persona'),
      useMemory: checked('useMemory'),
      retrievalK: value('retrievalK'),
      historyWindow: value('historyWindow'),
      dailyTokenBudget: value('dailyTokenBudget'),
      trigger: value('trigger') as AgentTrigger['mode'],
      answersAgents: checked('answersAgents'),
      tools: this.tools.value,
    };
  }

  /** Shows the problems of the fields touched so far; returns every problem. */
  private check(): Partial<Record<AgentFormField, string>> {
    const problems = agentFormProblems(this.read(), this.models, this.editing !== undefined);
    for (const [name, error] of this.errors) {
      const problem = this.touched.has(name) ? problems[name] : undefined;
      setText(error, problem ?? '');
      this.controls.get(name)?.setAttribute('aria-invalid', String(problem !== undefined));
    }
    // Recall k matters only with memory on.
    (this.controls.get('retrievalK') as HTMLInputElement).disabled = !(this.controls.get('useMemory') as HTMLInputElement).checked;
    return problems;
  }

  private async save(): Promise<void> {
    for (const name of this.controls.keys()) this.touched.add(name);
    const problems = this.check();
    const first = [...this.controls.keys()].find((name) => problems[name] !== undefined);
    if (first !== undefined) {
      this.controls.get(first)?.focus();
      return;
    }
    setText(this.error, '');
    setText(this.status, t().agentForm.saving);
    this.submit.disabled = true;
    const answer = await this.actions.save(this.read(), this.editing);
    this.submit.disabled = false;
    if (!answer.ok) {
      setText(this.status, '');
      setText(this.error, answer.error);
      return;
    }
    const saved = this.editing === undefined ? t().agentForm.added : t().agentForm.saved;
    this.open(undefined);
    setText(this.status, saved);
  }
}
