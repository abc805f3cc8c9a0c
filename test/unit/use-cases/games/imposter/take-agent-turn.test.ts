import { beforeEach, describe, expect, it } from 'vitest';
import { IMPOSTER_PROMPT_MARKER } from '../../../../../lambdas/domain/games/imposter-rules';
import { sendRoundLine } from '../../../../../lambdas/use-cases/games/imposter/send-round-line';
import { takeAgentTurn } from '../../../../../lambdas/use-cases/games/imposter/take-agent-turn';
import { bob } from '../../../../support/fakes/chat';
import { imposterRoom, type ImposterRoom, ScriptedModel } from '../../../../support/fakes/imposter';

describe('takeAgentTurn', () => {
  let world: ImposterRoom['world'];
  let roomId: string;
  let start: ImposterRoom['start'];
  let framesOf: ImposterRoom['framesOf'];
  let agentSeat: ImposterRoom['agentSeat'];

  beforeEach(async () => {
    ({ world, roomId, start, framesOf, agentSeat } = await imposterRoom());
  });

  it('writes the model’s line, sanitised, in the AI’s seat after reading the round by round name', async () => {
    const { round } = await start();
    await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'anyone like pizza' });
    world.agentDeps = { ...world.agentDeps, model: new ScriptedModel(['Kim: "**pizza** is great"']) };

    const turn = await takeAgentTurn(world.agentDeps, { kind: 'imposterLine', roomId, roundId: round.roundId, afterLines: 1 });

    expect(turn).toMatchObject({ outcome: 'written', line: { seq: 2, seat: await agentSeat(round.roundId) } });
    const model = world.agentDeps.model as ScriptedModel;
    expect(model.requests[0]?.prompt.system).toContain(IMPOSTER_PROMPT_MARKER);
    expect(model.requests[0]?.prompt.turns[0]?.text).toMatch(/: anyone like pizza$/);
    expect(JSON.stringify(model.requests[0])).not.toContain('Bob');
    expect(framesOf('roundLine')).toHaveLength(2);
  });

  it('stays silent when the chat moved on, after its own line, or once the round is over', async () => {
    const { round } = await start();
    const job = { kind: 'imposterLine' as const, roomId, roundId: round.roundId, afterLines: 0 };
    await sendRoundLine(world.lineDeps, bob, { requestId: 'r', roomId, roundId: round.roundId, clientLineId: 'l1', text: 'hi' });

    expect(await takeAgentTurn(world.agentDeps, job)).toEqual({ outcome: 'silent', reason: 'movedOn' });
    expect((await takeAgentTurn(world.agentDeps, { ...job, afterLines: 1 })).outcome).toBe('written');
    expect(await takeAgentTurn(world.agentDeps, { ...job, afterLines: 2 })).toEqual({ outcome: 'silent', reason: 'ownTurn' });
    world.clock.advance(60_000);
    expect(await takeAgentTurn(world.agentDeps, { ...job, afterLines: 2 })).toEqual({ outcome: 'silent', reason: 'ended' });
  });

  it('stays silent when its line would give it away', async () => {
    const { round } = await start();
    world.agentDeps = { ...world.agentDeps, model: new ScriptedModel(['As an AI language model I cannot say.']) };
    expect(await takeAgentTurn(world.agentDeps, { kind: 'imposterLine', roomId, roundId: round.roundId, afterLines: 0 })).toEqual({
      outcome: 'silent',
      reason: 'unusable',
    });
  });
});
