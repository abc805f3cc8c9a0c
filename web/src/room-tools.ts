import type { AuditAction, AuditRecord } from '../../lambdas/domain/audit';
import type { ToolName } from '../../lambdas/domain/agents/tool-names';
import { AGENT_LIMITS, AGENT_TEXT_LIMITS, boundProblem, HANDLE_PATTERN, type AgentLimitName } from '../../lambdas/domain/agents/limits';
import type { ModerationSettings, ModerationSettingsPatch } from '../../lambdas/domain/moderation/settings';
import { daysInRange, isArchiveDay } from '../../lambdas/domain/retention/archive';
import type { AgentModels } from '../../lambdas/use-cases/agents/manage-agents';
import type { ArchivePage } from '../../lambdas/use-cases/retention/get-archive';
import type { Transport } from './client';
import { DisconnectedError, RequestError } from './connection';
import { t } from './i18n';
import type { AgentChangesInput, AgentInfo, AgentSettingsInput, AgentTrigger, ChatMessage, Role } from './protocol';

/**
 * The owners' and moderators' tools in the right panel: moderation settings,
 * the held-for-review queue, originals, the audit log, archive downloads
 * and the full agent form. Each request answers an `Outcome`, so a refusal
 * is shown beside the control that asked, in Parley's words; Parley stays
 * the authority on who may do what.
 */
export type { AgentModels, ArchivePage, AuditAction, AuditRecord, ModerationSettings, ModerationSettingsPatch };

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** What `getOriginalMessage` answers. */
export interface OriginalMessage {
  readonly messageId: string;
  readonly text: string;
  readonly previousText?: string;
  readonly reasons: readonly string[];
  readonly keptAt: string;
}

export interface HeldPage {
  readonly items: readonly ChatMessage[];
  readonly nextCursor?: string;
}

export interface AuditPage {
  readonly items: readonly AuditRecord[];
  readonly nextCursor?: string;
}

const reason = (error: unknown): string =>
  error instanceof RequestError || error instanceof DisconnectedError ? error.message : t().errors.somethingWrong;

/** The panel's tabs, in order, and who sees each (the server still refuses what a role may not do). */
export type PanelTab = 'members' | 'agents' | 'moderation' | 'audit' | 'documents' | 'settings';

export const PANEL_TABS: ReadonlyArray<{ readonly id: PanelTab; readonly label: string }> = (
  ['members', 'agents', 'moderation', 'audit', 'documents', 'settings'] as const
).map((id) => ({
  id,
  /** In the interface's language, read when the tab is drawn. */
  get label() {
    return t().roomTools.tabs[id];
  },
}));

/** Which tools a role gets, as Parley's permissions say (docs/moderation.md, docs/retention.md). */
export const toolsFor = (role: Role | undefined) => ({
  /** Held queue, originals, reading the moderation settings. */
  moderate: role === 'owner' || role === 'moderator',
  /** Changing the moderation settings. */
  configureModeration: role === 'owner',
  audit: role === 'owner' || role === 'moderator',
  /** Archive downloads. */
  archive: role === 'owner',
  /** Uploading, replacing and deleting room documents (members list them). */
  documents: role === 'owner' || role === 'moderator',
});

/** The tabs a role sees: members and settings always; the rest where its tools are. */
export function visibleTabs(role: Role | undefined, unsupported: ReadonlySet<string> = new Set()): PanelTab[] {
  const tools = toolsFor(role);
  return PANEL_TABS.map((tab) => tab.id).filter((tab) => {
    switch (tab) {
      case 'agents':
        return role !== undefined && !unsupported.has('listAgents');
      case 'moderation':
        return tools.moderate && !unsupported.has('getModerationSettings');
      case 'audit':
        return tools.audit && !unsupported.has('getAuditLog');
      // Members may list a room's documents (the agents answer them from these); only managers change them.
      case 'documents':
        return role !== undefined && !unsupported.has('listDocuments');
      default:
        return true;
    }
  });
}

/** The tab a key moves to (the ARIA tabs pattern: arrows wrap, Home and End); undefined for other keys. */
export function tabAfterKey(tabs: readonly PanelTab[], current: PanelTab, key: string): PanelTab | undefined {
  const index = Math.max(0, tabs.indexOf(current));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return tabs[(index + 1) % tabs.length];
    case 'ArrowLeft':
    case 'ArrowUp':
      return tabs[(index - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs.at(-1);
    default:
      return undefined;
  }
}

/** Where each room's chosen tab is kept between visits. */
export interface TabMemory {
  get(roomId: string): PanelTab | undefined;
  set(roomId: string, tab: PanelTab): void;
}

const TAB_KEY = 'parley.panelTab.';

/** Remembers each room's tab in `storage` (the browser's localStorage); a storage that refuses is ignored. */
export function storedTabMemory(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): TabMemory {
  return {
    get(roomId) {
      try {
        const value = storage?.getItem(TAB_KEY + roomId);
        return PANEL_TABS.some((tab) => tab.id === value) ? (value as PanelTab) : undefined;
      } catch {
        return undefined;
      }
    },
    set(roomId, tab) {
      try {
        storage?.setItem(TAB_KEY + roomId, tab);
      } catch {
        // Private browsing may refuse storage: the tab is then not remembered.
      }
    },
  };
}

/** The tab to show: the remembered one while the role still sees it, otherwise the first. */
export const tabToShow = (tabs: readonly PanelTab[], remembered: PanelTab | undefined): PanelTab =>
  remembered !== undefined && tabs.includes(remembered) ? remembered : (tabs[0] ?? 'members');

/** Messages waiting for a moderator's decision, oldest first, among those the client holds. */
export const heldMessages = (messages: readonly ChatMessage[]): ChatMessage[] =>
  messages.filter((m) => m.moderation === 'quarantined' && m.hidden === undefined);

/** Messages whose original text moderation changed or withheld, newest first: their originals may be kept. */
export const changedMessages = (messages: readonly ChatMessage[]): ChatMessage[] =>
  messages.filter((m) => m.moderation === 'redacted' || m.moderation === 'blocked' || m.redacted === true).reverse();

/** The audit log's filters, applied to the pages loaded so far. */
export interface AuditFilter {
  /** An action, or a family such as `moderation` (every `moderation.*`). */
  readonly action?: string;
  /** Part of the actor's id, any case. */
  readonly actor?: string;
}

export function filterAudit(entries: readonly AuditRecord[], filter: AuditFilter): AuditRecord[] {
  const actor = filter.actor?.trim().toLowerCase() ?? '';
  return entries.filter(
    (e) =>
      (filter.action === undefined || filter.action === '' || e.action === filter.action || e.action.startsWith(`${filter.action}.`)) &&
      (actor === '' || e.actor.id.toLowerCase().includes(actor)),
  );
}

/** Most days one archive request covers unless the deployment says otherwise (docs/retention.md). */
export const ARCHIVE_MAX_RANGE_DAYS = 31;

/** Why an archive range would be refused; undefined when Parley should accept it. */
export function archiveRangeProblem(from: string, to: string, maxDays = ARCHIVE_MAX_RANGE_DAYS): string | undefined {
  if (!isArchiveDay(from)) return t().roomTools.chooseFirstDay;
  if (!isArchiveDay(to)) return t().roomTools.chooseLastDay;
  const days = daysInRange(from, to);
  if (days < 1) return t().roomTools.lastBeforeFirst;
  if (days > maxDays) return t().roomTools.rangeTooLong(maxDays, days);
  return undefined;
}

/** What the agent form holds, as typed. */
export interface AgentForm {
  readonly handle: string;
  readonly displayName: string;
  readonly modelId: string;
  readonly temperature: string;
  readonly systemPrompt: string;
  readonly persona: string;
  readonly useMemory: boolean;
  readonly retrievalK: string;
  readonly historyWindow: string;
  readonly dailyTokenBudget: string;
  readonly trigger: AgentTrigger['mode'];
  readonly answersAgents: boolean;
  /** Built-in tools the agent may use (checkboxes, not a field with a problem). */
  readonly tools: readonly ToolName[];
}

export type AgentFormField = Exclude<keyof AgentForm, 'tools'>;

const NUMERIC: ReadonlyArray<AgentFormField & AgentLimitName> = ['temperature', 'retrievalK', 'historyWindow', 'dailyTokenBudget'];

/** The form for a new agent: Parley's defaults. */
export const NEW_AGENT_FORM: AgentForm = {
  handle: '',
  displayName: '',
  modelId: '',
  temperature: '0.7',
  systemPrompt: '',
  persona: '',
  useMemory: true,
  retrievalK: '4',
  historyWindow: '20',
  dailyTokenBudget: '100000',
  trigger: 'mention',
  answersAgents: false,
  tools: [],
};

/** The form for an agent being edited: its configuration as a manager reads it. */
export function agentFormOf(agent: AgentInfo): AgentForm {
  const full = 'temperature' in agent ? agent : undefined;
  return {
    handle: agent.handle,
    displayName: agent.displayName,
    modelId: agent.modelId,
    temperature: String(full?.temperature ?? NEW_AGENT_FORM.temperature),
    systemPrompt: full?.systemPrompt ?? '',
    persona: full?.persona ?? '',
    useMemory: agent.useMemory,
    retrievalK: String(full?.retrievalK ?? NEW_AGENT_FORM.retrievalK),
    historyWindow: String(full?.historyWindow ?? NEW_AGENT_FORM.historyWindow),
    dailyTokenBudget: String(full?.dailyTokenBudget ?? NEW_AGENT_FORM.dailyTokenBudget),
    trigger: agent.trigger.mode,
    answersAgents: full?.answersAgents ?? false,
    tools: full?.tools ?? [],
  };
}

/**
 * Each field's problem, with the bounds Parley's schemas use
 * (lambdas/domain/agents/limits.ts); empty when the form may be sent.
 * `models.allowed` empty means the deployment allows any model.
 */
export function agentFormProblems(form: AgentForm, models: AgentModels | undefined, editing: boolean): Partial<Record<AgentFormField, string>> {
  const problems: Partial<Record<AgentFormField, string>> = {};
  if (!editing && !HANDLE_PATTERN.test(form.handle.trim())) {
    problems.handle = t().roomTools.handle;
  }
  if ([...form.displayName].length > AGENT_TEXT_LIMITS.displayName) problems.displayName = t().roomTools.atMost(AGENT_TEXT_LIMITS.displayName);
  if (form.systemPrompt.length > AGENT_TEXT_LIMITS.systemPrompt) problems.systemPrompt = t().roomTools.atMost(AGENT_TEXT_LIMITS.systemPrompt);
  if (form.persona.length > AGENT_TEXT_LIMITS.persona) problems.persona = t().roomTools.atMost(AGENT_TEXT_LIMITS.persona);
  if (form.modelId !== '' && models !== undefined && models.allowed.length > 0 && !models.allowed.includes(form.modelId)) {
    problems.modelId = t().roomTools.modelNotAllowed;
  }
  for (const name of NUMERIC) {
    const typed = form[name].trim();
    const problem = boundProblem(AGENT_LIMITS[name], typed === '' ? Number.NaN : Number(typed));
    if (problem !== undefined) problems[name] = problem;
  }
  return problems;
}

/** The settings of a new agent, from a form without problems. */
export function agentSettingsOf(form: AgentForm): AgentSettingsInput {
  return {
    handle: form.handle.trim(),
    ...(form.displayName.trim() === '' ? {} : { displayName: form.displayName.trim() }),
    ...(form.modelId === '' ? {} : { modelId: form.modelId }),
    ...(form.systemPrompt.trim() === '' ? {} : { systemPrompt: form.systemPrompt.trim() }),
    persona: form.persona.trim(),
    temperature: Number(form.temperature),
    useMemory: form.useMemory,
    retrievalK: Number(form.retrievalK),
    historyWindow: Number(form.historyWindow),
    dailyTokenBudget: Number(form.dailyTokenBudget),
    trigger: { mode: form.trigger },
    answersAgents: form.answersAgents,
    tools: [...form.tools],
  };
}

/** The changes an edit makes: only the settings that differ from the agent's (an unchanged trigger keeps its tuning). */
export function agentChangesOf(before: AgentForm, after: AgentForm): AgentChangesInput {
  const next = agentSettingsOf(after);
  const previous = agentSettingsOf(before);
  const changes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(next)) {
    if (name === 'handle') continue;
    if (JSON.stringify(value) !== JSON.stringify(previous[name as keyof AgentSettingsInput])) changes[name] = value;
  }
  // An emptied display name or instructions cannot be sent empty: Parley keeps the current ones.
  if (after.systemPrompt.trim() === '') delete changes['systemPrompt'];
  if (after.displayName.trim() === '') delete changes['displayName'];
  return changes as AgentChangesInput;
}

/** The requests behind the tools; one instance for the signed-in client. */
export class RoomTools {
  constructor(private readonly transport: Transport) {}

  private async ask<T>(action: string, payload: Record<string, unknown>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await this.transport.request<T>(action, payload) };
    } catch (error) {
      return { ok: false, error: reason(error) };
    }
  }

  moderationSettings(roomId: string): Promise<Outcome<{ settings: ModerationSettings; defaults: boolean }>> {
    return this.ask('getModerationSettings', { roomId });
  }

  saveModerationSettings(roomId: string, settings: ModerationSettingsPatch): Promise<Outcome<{ settings: ModerationSettings }>> {
    return this.ask('setModerationSettings', { roomId, settings });
  }

  original(roomId: string, messageId: string): Promise<Outcome<OriginalMessage>> {
    return this.ask('getOriginalMessage', { roomId, messageId });
  }

  /** Approves a held message: everyone sees it (releaseMessage). */
  release(roomId: string, messageId: string): Promise<Outcome<unknown>> {
    return this.ask('releaseMessage', { roomId, messageId });
  }

  /** Rejects a held message: it is deleted with its original (deleteMessage). */
  reject(roomId: string, messageId: string): Promise<Outcome<unknown>> {
    return this.ask('deleteMessage', { roomId, messageId });
  }

  /** A page of the audit log; `filter` (kinds, actorId) is applied by Parley, so a page may be short. */
  auditPage(roomId: string, cursor?: string, filter: { kinds?: string[]; actorId?: string } = {}): Promise<Outcome<AuditPage>> {
    return this.ask('getAuditLog', { roomId, ...filter, ...(cursor !== undefined ? { cursor } : {}) });
  }

  /** A page of the room's held-for-review queue, oldest first (listHeldMessages). */
  heldPage(roomId: string, cursor?: string): Promise<Outcome<HeldPage>> {
    return this.ask('listHeldMessages', { roomId, ...(cursor !== undefined ? { cursor } : {}) });
  }

  archive(roomId: string, from: string, to: string, cursor?: string): Promise<Outcome<ArchivePage>> {
    return this.ask('getArchive', { roomId, from, to, ...(cursor !== undefined ? { cursor } : {}) });
  }

  /** The models the agent form offers; Parley tells room managers with every listAgents page. */
  async agentModels(roomId: string): Promise<Outcome<AgentModels | undefined>> {
    const page = await this.ask<{ models?: AgentModels }>('listAgents', { roomId, limit: 1 });
    return page.ok ? { ok: true, value: page.value.models } : page;
  }

  addAgent(roomId: string, agent: AgentSettingsInput): Promise<Outcome<unknown>> {
    return this.ask('addAgent', { roomId, agent });
  }

  updateAgent(roomId: string, handle: string, changes: AgentChangesInput): Promise<Outcome<unknown>> {
    return this.ask('updateAgent', { roomId, handle, changes });
  }
}
