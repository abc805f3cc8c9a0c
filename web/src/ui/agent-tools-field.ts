import { TOOL_NAMES, type ToolName } from '../../../lambdas/domain/agents/tool-names';
import { t } from '../i18n';
import { h } from './dom';

/**
 * The agent form's tools: one checkbox per built-in tool, in a fieldset
 * with its legend, so a screen reader announces the group and each tool.
 */
export class AgentToolsField {
  readonly element: HTMLFieldSetElement;
  private readonly boxes = new Map<ToolName, HTMLInputElement>();

  constructor() {
    const strings = t().agentForm;
    this.element = h(
      'fieldset',
      { className: 'agent-tools' },
      h('legend', {}, strings.tools),
      ...TOOL_NAMES.map((name) => {
        const box = h('input', { type: 'checkbox', id: `agent-form-tool-${name}`, name: 'tools', value: name });
        this.boxes.set(name, box);
        return h('label', { className: 'checkbox' }, box, ` ${strings.toolNames[name]}`);
      }),
      h('p', { className: 'hint' }, strings.toolsHint),
    );
  }

  get value(): ToolName[] {
    return TOOL_NAMES.filter((name) => this.boxes.get(name)?.checked);
  }

  set value(tools: readonly ToolName[]) {
    for (const [name, box] of this.boxes) box.checked = tools.includes(name);
  }
}
