import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_TEST_MODELS } from '../../scripts/local/bedrock/offline-responder';
import { AGENT_LIMITS } from '../../lambdas/domain/agents/limits';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';

/**
 * What the right panel's tools ask of Parley, through its front door (real
 * WebSockets against the local runtime): the models the agent form offers,
 * the agent settings it sends at their bounds, and what the runtime tells
 * the browser about the model that answers.
 */
describe('the room tools on the local runtime', { timeout: 60_000 }, () => {
  let parley: LocalParleyProcess;

  beforeAll(async () => {
    // The first suite to start the runtime synthesizes the app, which is slow on a busy machine.
    parley = await startLocalParley({ startTimeoutMs: 280_000 });
  }, 300_000);

  afterAll(async () => {
    await parley?.stop();
  });

  async function roomOf(ownerName: string, memberName: string) {
    const owner = await parley.connect(ownerName);
    const member = await parley.connect(memberName);
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'tools' });
    await member.ok('joinRoom', { roomId: room.roomId });
    return { owner, member, roomId: room.roomId };
  }

  it('tells the owner which models agents may use, and a member nothing of it', async () => {
    const { owner, member, roomId } = await roomOf('tess', 'uma');

    const forOwner = await owner.ok<{ models?: { allowed: string[]; default: string } }>('listAgents', { roomId, limit: 1 });
    const forMember = await member.ok<Record<string, unknown>>('listAgents', { roomId, limit: 1 });

    expect(forOwner.models?.allowed).toEqual(expect.arrayContaining(Object.values(OFFLINE_TEST_MODELS)));
    expect(forOwner.models?.allowed).toContain(forOwner.models?.default);
    expect(forMember).not.toHaveProperty('models');
  });

  it('saves an agent with every setting the form sends at its bounds, and refuses one past them', async () => {
    const { owner, roomId } = await roomOf('vera', 'walt');
    const agent = {
      handle: 'scribe',
      modelId: OFFLINE_TEST_MODELS.interrupted,
      temperature: AGENT_LIMITS.temperature.max,
      systemPrompt: 'Take notes.',
      persona: 'A careful scribe.',
      useMemory: false,
      retrievalK: AGENT_LIMITS.retrievalK.max,
      historyWindow: AGENT_LIMITS.historyWindow.min,
      dailyTokenBudget: AGENT_LIMITS.dailyTokenBudget.min,
      trigger: { mode: 'everyMessage' },
      answersAgents: true,
    };

    await owner.ok('addAgent', { roomId, agent });
    const refused = await owner.request('updateAgent', { roomId, handle: 'scribe', changes: { historyWindow: AGENT_LIMITS.historyWindow.max + 1 } });
    const unknownModel = await owner.request('updateAgent', { roomId, handle: 'scribe', changes: { modelId: 'amazon.titan-text-lite-v1' } });
    const { agents } = await owner.ok<{ agents: Array<Record<string, unknown>> }>('listAgents', { roomId });

    expect(refused).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(unknownModel).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(agents).toEqual([expect.objectContaining({ ...agent, trigger: { mode: 'everyMessage' } })]);
  });

  it('filters the audit log on the server by kind and by who acted, paging on by cursor', async () => {
    const { owner, member, roomId } = await roomOf('jana', 'kurt');
    const { profile } = await member.ok<{ profile: { userId: string } }>('whoami');
    await owner.ok('setModerationSettings', { roomId, settings: { profanity: { action: 'quarantine' } } });
    type AuditPage = { items: Array<{ action: string; actor: { id: string } }>; nextCursor?: string };

    const members = await owner.ok<AuditPage>('getAuditLog', { roomId, kinds: ['member'] });
    const byMember = await owner.ok<AuditPage>('getAuditLog', { roomId, actorId: profile.userId });
    const settings = await owner.ok<AuditPage>('getAuditLog', { roomId, kinds: ['moderation.settingsChanged', 'room'] });
    const short = await owner.ok<AuditPage>('getAuditLog', { roomId, limit: 1, kinds: ['member'] });
    const unknown = await owner.request('getAuditLog', { roomId, kinds: ['everything'] });

    expect(members.items.map((e) => e.action)).toEqual(['member.joined']);
    expect(byMember.items).toEqual([expect.objectContaining({ action: 'member.joined', actor: expect.objectContaining({ id: profile.userId }) })]);
    expect(settings.items.map((e) => e.action)).toEqual(['moderation.settingsChanged', 'room.created']);
    expect(unknown).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    // The newest entry is the settings change: a filtered page of one reads it, keeps nothing and leads on.
    expect(short.items).toEqual([]);
    const paged = [];
    for (let cursor = short.nextCursor; cursor !== undefined; ) {
      const next = await owner.ok<AuditPage>('getAuditLog', { roomId, limit: 1, kinds: ['member'], cursor });
      paged.push(...next.items);
      cursor = next.nextCursor;
    }
    expect(paged.map((e) => e.action)).toEqual(['member.joined']);
  });

  it('serves the browser a configuration that names the offline model as what answers', async () => {
    const response = await fetch(new URL('config.json', parley.webUrl));
    const config = (await response.json()) as Record<string, unknown>;

    expect(config['modelServedBy']).toBe('offline model');
  });
});
