import type { ModelClient } from '../../../domain/agents/ports';
import type { DeliveryReport } from '../../../domain/delivery';
import type { RoundLine } from '../../../domain/games/imposter';
import {
  agentSeatOf,
  imposterSystemPrompt,
  imposterTranscript,
  mayAgentSpeak,
  sanitiseAgentLine,
} from '../../../domain/games/imposter-rules';
import type { ImposterJob } from '../../../domain/games/jobs';
import type { RetentionLookup } from '../../../domain/retention/ports';
import { checkMessage, type CheckMessageDeps } from '../../moderation/check-message';
import { appendRoundLine } from './append-round-line';
import type { ImposterDeps } from './deps';

export interface AgentTurnDeps extends ImposterDeps, CheckMessageDeps {
  readonly model: ModelClient;
  readonly modelId: string;
  readonly retention: RetentionLookup;
}

/** Why the AI wrote nothing this turn; each is logged by the worker. */
export type SilentReason = 'noRound' | 'ended' | 'movedOn' | 'ownTurn' | 'unusable' | 'moderated';

export type AgentTurn =
  | { readonly outcome: 'written'; readonly line: RoundLine; readonly delivery: DeliveryReport }
  | { readonly outcome: 'silent'; readonly reason: SilentReason };

/** A chat line needs few tokens; the sanitiser cuts anything longer anyway. */
const MAX_OUTPUT_TOKENS = 60;
const TEMPERATURE = 0.9;

/**
 * The AI's turn (job `imposterLine`): if the round is still live, nobody
 * wrote since the chat state it was asked about (`afterLines`) and its own
 * line is not the last, it asks the model for one line as its round name,
 * reading the round's lines by round name only. The answer is sanitised
 * (one short line, nothing that gives it away), checked by the room's
 * moderation like a person's line (held or blocked: it stays silent;
 * redacted: written redacted), and written through the same transaction
 * as people's lines, only if the chat has not moved on meanwhile. A model
 * failure throws, so the job is retried and finally dead-lettered.
 */
export async function takeAgentTurn(
  deps: AgentTurnDeps,
  job: Extract<ImposterJob, { kind: 'imposterLine' }>,
): Promise<AgentTurn> {
  const round = await deps.rounds.getRound(job.roomId, job.roundId);
  if (!round) return { outcome: 'silent', reason: 'noRound' };
  const lines = await deps.rounds.listLines(round.roundId);
  const allowed = mayAgentSpeak(round, job.afterLines, lines.at(-1), deps.clock.now());
  if (!allowed.speak) return { outcome: 'silent', reason: allowed.reason };

  const seat = agentSeatOf(round);
  const others = round.seats.filter((s) => s.seat !== seat.seat).map((s) => s.alias);
  const transcript = imposterTranscript(lines);
  let raw = '';
  for await (const event of deps.model.stream({
    modelId: deps.modelId,
    prompt: {
      system: imposterSystemPrompt(seat.alias, others),
      turns: [{ role: 'user', text: transcript }],
      estimatedTokens: Math.ceil((transcript.length + 600) / 4),
      includedMessageIds: [],
      trimmed: { messages: 0, passages: 0, summary: false },
    },
    temperature: TEMPERATURE,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
  })) {
    if (event.type === 'delta') raw += event.text;
  }
  const text = sanitiseAgentLine(raw, round.seats.map((s) => s.alias));
  if (text === undefined) return { outcome: 'silent', reason: 'unusable' };
  const { verdict } = await checkMessage(deps, { roomId: round.roomId, senderType: 'agent', text });
  if (verdict.state === 'blocked' || verdict.state === 'quarantined') return { outcome: 'silent', reason: 'moderated' };

  const result = await appendRoundLine(
    deps,
    round,
    { seat: seat.seat, alias: seat.alias, text: verdict.text, writerId: seat.playerId },
    job.afterLines,
  );
  if (result.outcome === 'written') return result;
  return { outcome: 'silent', reason: result.outcome === 'closed' ? 'ended' : 'movedOn' };
}
