import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS } from '../../../lambdas/domain/agents/limits';
import type { Transport } from '../../../web/src/client';
import { parseConfig } from '../../../web/src/config';
import { RequestError } from '../../../web/src/connection';
import type { AgentInfo, ChatMessage } from '../../../web/src/protocol';
import {
  agentChangesOf,
  agentFormOf,
  agentFormProblems,
  agentSettingsOf,
  archiveRangeProblem,
  changedMessages,
  filterAudit,
  heldMessages,
  NEW_AGENT_FORM,
  RoomTools,
  storedTabMemory,
  tabAfterKey,
  tabToShow,
  toolsFor,
  visibleTabs,
  type AuditRecord,
} from '../../../web/src/room-tools';

function scripted(answers: Record<string, unknown>) {
  const asked: Array<{ action: string; payload?: Record<string, unknown> }> = [];
  const transport: Transport = {
    async request<T>(action: string, payload?: Record<string, unknown>): Promise<T> {
      asked.push({ action, ...(payload ? { payload } : {}) });
      const answer = answers[action];
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
  return { transport, asked };
}

const message = (messageId: string, fields: Partial<ChatMessage>): ChatMessage =>
  ({ roomId: 'r1', messageId, senderId: 'u-bob', senderName: 'Bob', text: 'hi', createdAt: '2026-12-01T10:00:00.000Z', moderation: 'allowed', ...fields }) as ChatMessage;

const entry = (entryId: string, action: string, actor: string): AuditRecord =>
  ({ entryId, roomId: 'r1', idempotencyKey: entryId, occurredAt: '2026-12-01T10:00:00.000Z', actor: { type: 'user', id: actor }, action }) as AuditRecord;

describe('visibleTabs', () => {
  it('gives owners and moderators the moderation and audit tabs, and members neither', () => {
    expect(visibleTabs('owner')).toEqual(['members', 'agents', 'moderation', 'audit', 'documents', 'settings']);
    expect(visibleTabs('moderator')).toEqual(['members', 'agents', 'moderation', 'audit', 'documents', 'settings']);
    expect(visibleTabs('member')).toEqual(['members', 'agents', 'documents', 'settings']);
    expect(visibleTabs(undefined)).toEqual(['members', 'settings']);
  });

  it('gives every member the documents tab, and only owners and moderators the tools that change documents', () => {
    expect(visibleTabs('guest')).toContain('documents');
    expect([toolsFor('owner').documents, toolsFor('moderator').documents, toolsFor('member').documents, toolsFor('guest').documents]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('leaves out the tabs of features the deployment does not have', () => {
    expect(visibleTabs('owner', new Set(['listAgents', 'getAuditLog', 'listDocuments']))).toEqual(['members', 'moderation', 'settings']);
  });
});

describe('tabAfterKey', () => {
  const tabs = visibleTabs('member');

  it('moves with the arrows and wraps around at both ends', () => {
    expect(tabAfterKey(tabs, 'members', 'ArrowRight')).toBe('agents');
    expect(tabAfterKey(tabs, 'settings', 'ArrowRight')).toBe('members');
    expect(tabAfterKey(tabs, 'members', 'ArrowLeft')).toBe('settings');
  });

  it('jumps to the first and last tab with Home and End, and ignores other keys', () => {
    expect(tabAfterKey(tabs, 'agents', 'Home')).toBe('members');
    expect(tabAfterKey(tabs, 'agents', 'End')).toBe('settings');
    expect(tabAfterKey(tabs, 'agents', 'a')).toBeUndefined();
  });
});

describe('tab memory', () => {
  it('remembers each room’s tab, and shows it only while the role still sees it', () => {
    const items = new Map<string, string>();
    const memory = storedTabMemory({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) });

    memory.set('r1', 'audit');
    memory.set('r2', 'agents');

    expect(tabToShow(visibleTabs('owner'), memory.get('r1'))).toBe('audit');
    expect(tabToShow(visibleTabs('member'), memory.get('r1'))).toBe('members');
    expect(tabToShow(visibleTabs('member'), memory.get('r2'))).toBe('agents');
  });

  it('ignores a storage that refuses, and a stored value that is not a tab', () => {
    const refusing = storedTabMemory({
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    });
    const odd = storedTabMemory({ getItem: () => 'nonsense', setItem: () => undefined });

    expect(() => refusing.set('r1', 'agents')).not.toThrow();
    expect(refusing.get('r1')).toBeUndefined();
    expect(odd.get('r1')).toBeUndefined();
  });
});

describe('heldMessages and changedMessages', () => {
  it('lists held messages oldest first and changed ones newest first', () => {
    const messages = [
      message('m1', { moderation: 'quarantined' }),
      message('m2', { moderation: 'redacted', redacted: true }),
      message('m3', { moderation: 'quarantined', hidden: { by: 'u-mo', at: '' } }),
      message('m4', { moderation: 'blocked' }),
      message('m5', { moderation: 'quarantined' }),
      message('m6', {}),
    ];

    expect(heldMessages(messages).map((m) => m.messageId)).toEqual(['m1', 'm5']);
    expect(changedMessages(messages).map((m) => m.messageId)).toEqual(['m4', 'm2']);
  });
});

describe('filterAudit', () => {
  const entries = [entry('e1', 'moderation.redacted', 'moderation'), entry('e2', 'message.hidden', 'u-Mo'), entry('e3', 'member.joined', 'u-bob')];

  it('keeps a family of actions, or one action', () => {
    expect(filterAudit(entries, { action: 'moderation' }).map((e) => e.entryId)).toEqual(['e1']);
    expect(filterAudit(entries, { action: 'message.hidden' }).map((e) => e.entryId)).toEqual(['e2']);
  });

  it('keeps entries whose actor id contains the text typed, in any case', () => {
    expect(filterAudit(entries, { actor: ' mo ' }).map((e) => e.entryId)).toEqual(['e1', 'e2']);
    expect(filterAudit(entries, { action: '', actor: '' })).toHaveLength(3);
  });
});

describe('archiveRangeProblem', () => {
  it('accepts any calendar month, as Parley does', () => {
    expect(archiveRangeProblem('2026-01-01', '2026-01-31')).toBeUndefined();
    expect(archiveRangeProblem('2026-02-01', '2026-03-03')).toBeUndefined();
    expect(archiveRangeProblem('2026-06-05', '2026-06-05')).toBeUndefined();
  });

  it('refuses 32 days, a last day before the first, and a day that does not exist', () => {
    expect(archiveRangeProblem('2026-01-01', '2026-02-01')).toBe('A download covers at most 31 days, both ends included; this range covers 32.');
    expect(archiveRangeProblem('2026-01-02', '2026-01-01')).toBe('The last day comes before the first.');
    expect(archiveRangeProblem('2026-02-30', '2026-03-01')).toBe('Choose the first day.');
    expect(archiveRangeProblem('2026-03-01', '')).toBe('Choose the last day.');
  });
});

describe('the agent form', () => {
  const models = { allowed: ['amazon.nova-lite-v1:0', 'parley.offline-interrupted'], default: 'amazon.nova-lite-v1:0' };
  const valid = { ...NEW_AGENT_FORM, handle: 'helper' };

  it('accepts Parley’s defaults with a handle', () => {
    expect(agentFormProblems(valid, models, false)).toEqual({});
  });

  it('names each field outside Parley’s bounds', () => {
    const problems = agentFormProblems(
      {
        ...valid,
        handle: '9lives',
        temperature: String(AGENT_LIMITS.temperature.max + 0.5),
        retrievalK: '2.5',
        historyWindow: '',
        dailyTokenBudget: String(AGENT_LIMITS.dailyTokenBudget.min - 1),
        modelId: 'amazon.titan-text-lite-v1',
        persona: 'p'.repeat(2001),
      },
      models,
      false,
    );

    expect(problems).toEqual({
      handle: 'A handle is a letter, then up to 31 letters, digits, _ or -.',
      temperature: 'Enter a number from 0 to 1.',
      retrievalK: 'Enter a whole number.',
      historyWindow: 'Enter a number.',
      dailyTokenBudget: 'Enter a number from 100 to 10000000.',
      modelId: 'Choose one of the models this deployment allows.',
      persona: 'At most 2000 characters.',
    });
  });

  it('takes any model id where the deployment allows any', () => {
    expect(agentFormProblems({ ...valid, modelId: 'amazon.titan-text-lite-v1' }, { allowed: [], default: 'x' }, false)).toEqual({});
  });

  it('sends a new agent’s every setting, leaving the model to Parley when none is chosen', () => {
    expect(agentSettingsOf({ ...valid, persona: ' terse ', trigger: 'ambient', answersAgents: true })).toEqual({
      handle: 'helper',
      persona: 'terse',
      temperature: 0.7,
      useMemory: true,
      retrievalK: 4,
      historyWindow: 20,
      dailyTokenBudget: 100_000,
      trigger: { mode: 'ambient' },
      answersAgents: true,
      tools: [],
    });
  });

  it('sends the tools chosen, and an edit that changes them sends only them', () => {
    const before = { ...valid, tools: [] };
    const after = { ...valid, tools: ['current_time', 'search_room_history'] as const };

    expect(agentSettingsOf(after).tools).toEqual(['current_time', 'search_room_history']);
    expect(agentChangesOf(before, after)).toEqual({ tools: ['current_time', 'search_room_history'] });
  });

  it('sends only what an edit changed', () => {
    const agent = {
      handle: 'helper',
      displayName: 'Helper',
      modelId: 'amazon.nova-lite-v1:0',
      temperature: 0.2,
      systemPrompt: 'Be brief.',
      persona: '',
      useMemory: true,
      retrievalK: 4,
      historyWindow: 20,
      dailyTokenBudget: 5000,
      trigger: { mode: 'ambient', probability: 0.5, minQuietSeconds: 60 },
      answersAgents: false,
    } as unknown as AgentInfo;
    const before = agentFormOf(agent);

    expect(before).toMatchObject({ temperature: '0.2', dailyTokenBudget: '5000', trigger: 'ambient', systemPrompt: 'Be brief.' });
    expect(agentChangesOf(before, before)).toEqual({});
    expect(agentChangesOf(before, { ...before, temperature: '0.9', historyWindow: '50', systemPrompt: '' })).toEqual({ temperature: 0.9, historyWindow: 50 });
  });
});

describe('RoomTools', () => {
  it('answers Parley’s refusal as the error to show in place', async () => {
    const { transport, asked } = scripted({ getArchive: new RequestError('FORBIDDEN', 'Only the room owner can download the archive.') });
    const tools = new RoomTools(transport);

    const answer = await tools.archive('r1', '2026-11-01', '2026-11-02');

    expect(answer).toEqual({ ok: false, error: 'Only the room owner can download the archive.' });
    expect(asked).toEqual([{ action: 'getArchive', payload: { roomId: 'r1', from: '2026-11-01', to: '2026-11-02' } }]);
  });

  it('reads the models from one agent page, approves with releaseMessage and rejects with deleteMessage', async () => {
    const models = { allowed: ['a'], default: 'a' };
    const { transport, asked } = scripted({ listAgents: { roomId: 'r1', agents: [], models }, releaseMessage: {}, deleteMessage: {} });
    const tools = new RoomTools(transport);

    expect(await tools.agentModels('r1')).toEqual({ ok: true, value: models });
    await tools.release('r1', 'm1');
    await tools.reject('r1', 'm2');

    expect(asked.map((a) => [a.action, a.payload])).toEqual([
      ['listAgents', { roomId: 'r1', limit: 1 }],
      ['releaseMessage', { roomId: 'r1', messageId: 'm1' }],
      ['deleteMessage', { roomId: 'r1', messageId: 'm2' }],
    ]);
  });

  it('pages the audit log from the cursor given', async () => {
    const { transport, asked } = scripted({ getAuditLog: { roomId: 'r1', items: [], nextCursor: 'c2' } });

    await new RoomTools(transport).auditPage('r1', 'c1');

    expect(asked).toEqual([{ action: 'getAuditLog', payload: { roomId: 'r1', cursor: 'c1' } }]);
  });
});

describe('parseConfig modelServedBy', () => {
  const local = { wsUrl: 'ws://127.0.0.1:3001', auth: { kind: 'local', tokenUrl: '/local/token' } };

  it('keeps what the runtime says answers for every agent, and nothing when it says nothing', () => {
    expect(parseConfig({ ...local, modelServedBy: 'offline model' }).modelServedBy).toBe('offline model');
    expect(parseConfig(local)).not.toHaveProperty('modelServedBy');
  });

  it('refuses a value that is not text', () => {
    expect(() => parseConfig({ ...local, modelServedBy: 3 })).toThrow('modelServedBy must be text.');
  });
});
