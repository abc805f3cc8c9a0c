import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';

/**
 * Agents' tools through Parley's front door: the local runtime's offline
 * model calls a tool when it is offered one and the message asks for it
 * (scripts/local/bedrock/offline-responder.ts, OFFLINE_TOOL_RULES), then
 * answers from the tool's result.
 */
describe('agents’ tools on the local runtime', { timeout: 60_000 }, () => {
  let parley: LocalParleyProcess;

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  type AuditPage = { items: Array<{ action: string; target?: { id: string }; details?: Record<string, unknown> }> };

  it('shows the tool’s status, answers with its result and audits the call without its content', async () => {
    const ivy = await parley.connect('ivy');
    const jack = await parley.connect('jack');
    const { room } = await ivy.ok<{ room: { roomId: string } }>('createRoom', { name: 'tools' });
    const roomId = room.roomId;
    await jack.ok('joinRoom', { roomId });
    await ivy.ok('addAgent', { roomId, agent: { handle: 'clock', tools: ['current_time'] } });

    const asked = await ivy.ok<{ messageId: string }>('sendMessage', { roomId, text: '@clock what time is it?', clientMessageId: 'm1' });

    const status = await jack.waitFor((f) => f.type === 'agentThinking' && f['messageId'] === asked.messageId && f['status'] !== undefined, 30_000);
    expect(status).toMatchObject({ status: 'checkingTime', agent: { handle: 'clock' } });
    const done = await jack.waitFor((f: Frame) => f.type === 'agentDone' && f['roomId'] === roomId, 30_000);
    const reply = done['message'] as { text: string; agent: { triggerMessageId: string } };
    expect(reply.agent.triggerMessageId).toBe(asked.messageId);
    expect(reply.text).toMatch(/^I used current_time: It is \w+day \d+ \w+ \d{4}, \d{2}:\d{2} UTC/);
    // The thinking indicator showed before the tool's status, and the status before the reply.
    const order = jack.frames
      .filter((f) => (f.type === 'agentThinking' && f['messageId'] === asked.messageId) || f === done)
      .map((f) => (f.type === 'agentDone' ? 'done' : String(f['status'] ?? 'thinking')));
    expect(order).toEqual(['thinking', 'checkingTime', 'done']);

    const audit = await until(
      () => ivy.ok<AuditPage>('getAuditLog', { roomId }),
      (page) => page.items.some((e) => e.action === 'agent.toolCalled') && page.items.some((e) => e.action === 'agent.called'),
      20_000,
    );
    const toolCall = audit.items.find((e) => e.action === 'agent.toolCalled');
    expect(toolCall).toMatchObject({ target: { id: asked.messageId }, details: { tool: 'current_time', outcome: 'ok', round: 1 } });
    expect(JSON.stringify(toolCall)).not.toMatch(/UTC|what time/);
  });

  it('calls no tool for an agent whose owners gave it none', async () => {
    const kim = await parley.connect('kim');
    const { room } = await kim.ok<{ room: { roomId: string } }>('createRoom', { name: 'no tools' });
    await kim.ok('addAgent', { roomId: room.roomId, agent: { handle: 'plain' } });

    await kim.ok('sendMessage', { roomId: room.roomId, text: '@plain what time is it?', clientMessageId: 'm1' });

    const done = await kim.waitFor((f) => f.type === 'agentDone' && f['roomId'] === room.roomId, 30_000);
    expect((done['message'] as { text: string }).text).toContain("Parley's offline model");
    expect(kim.frames.filter((f) => f.type === 'agentThinking' && f['status'] !== undefined)).toEqual([]);
  });
});
