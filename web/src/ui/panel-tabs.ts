import { PANEL_TABS, tabAfterKey, tabToShow, type PanelTab, type TabMemory } from '../room-tools';
import { t } from '../i18n';
import { h } from './dom';

/**
 * The room details panel as tabs (the ARIA tabs pattern): one tab stop for
 * the tab list (roving tabindex), arrows and Home/End move between tabs and
 * show them, each panel is labelled by its tab. The chosen tab is
 * remembered per room; a tab the person's role does not get is not shown.
 */
export class PanelTabs {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly tabs = new Map<PanelTab, HTMLButtonElement>();
  private readonly panels = new Map<PanelTab, HTMLElement>();
  private visible: PanelTab[] = ['members'];
  private current: PanelTab = 'members';
  private roomId: string | undefined;

  constructor(
    content: Readonly<Record<PanelTab, readonly HTMLElement[]>>,
    private readonly memory: TabMemory,
    /** Called when a tab is shown (chosen, or the room changed): panels load what they show. */
    private readonly shown: (tab: PanelTab) => void,
  ) {
    this.list = h('div', { role: 'tablist', className: 'panel-tabs', 'aria-label': t().panelTabs.label });
    for (const { id, label } of PANEL_TABS) {
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: `panel-tab-${id}`, 'aria-controls': `panel-${id}`, 'aria-selected': 'false', tabindex: -1 },
        label,
      );
      tab.addEventListener('click', () => this.choose(id, false));
      this.tabs.set(id, tab);
      this.list.append(tab);
      this.panels.set(
        id,
        h('div', { role: 'tabpanel', id: `panel-${id}`, className: 'tab-panel', 'aria-labelledby': `panel-tab-${id}`, tabindex: 0, hidden: true }, ...content[id]),
      );
    }
    this.list.addEventListener('keydown', (event) => {
      const next = tabAfterKey(this.visible, this.current, event.key);
      if (next === undefined) return;
      event.preventDefault();
      this.choose(next, true);
    });
    this.element = h('div', { className: 'panel-tabs-frame' }, this.list, ...this.panels.values());
  }

  get selected(): PanelTab {
    return this.current;
  }

  /** Shows the tabs `visible` for `roomId`, on the room's remembered tab when it is among them. */
  render(roomId: string, visible: readonly PanelTab[]): void {
    const roomChanged = roomId !== this.roomId;
    const sameTabs = visible.length === this.visible.length && visible.every((t, i) => this.visible[i] === t);
    if (!roomChanged && sameTabs) return;
    this.roomId = roomId;
    this.visible = [...visible];
    for (const [id, tab] of this.tabs) tab.hidden = !visible.includes(id);
    // The room's remembered tab wins, also when the person's role arrives after the room opened.
    const next = tabToShow(visible, this.memory.get(roomId) ?? (roomChanged ? undefined : this.current));
    this.show(next, roomChanged || next !== this.current);
  }

  private choose(tab: PanelTab, focus: boolean): void {
    if (this.roomId !== undefined) this.memory.set(this.roomId, tab);
    this.show(tab, tab !== this.current);
    if (focus) this.tabs.get(tab)?.focus();
  }

  private show(tab: PanelTab, announce: boolean): void {
    this.current = tab;
    for (const [id, element] of this.tabs) {
      const selected = id === tab;
      element.setAttribute('aria-selected', String(selected));
      element.tabIndex = selected ? 0 : -1;
      this.panels.get(id)!.hidden = !selected;
    }
    if (announce) this.shown(tab);
  }
}
