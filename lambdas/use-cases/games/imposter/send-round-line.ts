import type { DeliveryReport } from '../../../domain/delivery';
import { ConflictError, RateLimitedError, ValidationError } from '../../../domain/errors';
import type { RoundLine } from '../../../domain/games/imposter';
import { aiDelaySeconds, assertMayWrite } from '../../../domain/games/imposter-rules';
import type { RateLimiter } from '../../../domain/ports';
import type { RequestOf } from '../../../domain/protocol';
import type { RetentionLookup } from '../../../domain/retention/ports';
import { isBlank } from '../../../domain/text';
import type { Identity } from '../../../domain/types';
import { checkMessage, type CheckMessageDeps } from '../../moderation/check-message';
import type { ImposterDeps } from './deps';
import { appendRoundLine } from './append-round-line';
import { requireImposterRoom, requireRound } from './round-access';

export interface SendRoundLineDeps extends ImposterDeps, CheckMessageDeps {
  /** The message budget sendMessage spends: a round line is a message by another name. */
  readonly rateLimiter: RateLimiter;
  /** Round lines expire with the room's retention, and after GAME_TEXT_TTL_DAYS at most. */
  readonly retention: RetentionLookup;
}

/**
 * A seated person's line in the round's chat, under their round name. The
 * room's moderation decides on it first, synchronously: a line it would
 * hold or block is refused (nothing is stored), a redacted one is stored
 * and shown redacted. A retry with the same `clientLineId` answers the line
 * stored first. The line and the round's line count are written in one
 * transaction (appendRoundLine), the room hears `roundLine`, and the AI is
 * asked to consider an answer after the time a person would take to read
 * the line and type one.
 */
export async function sendRoundLine(
  deps: SendRoundLineDeps,
  identity: Identity,
  request: RequestOf<'sendRoundLine'>,
): Promise<{ line: RoundLine; duplicate: boolean; delivery?: DeliveryReport }> {
  if (isBlank(request.text)) throw new ValidationError('The line is empty.');
  await requireImposterRoom(deps, request.roomId, identity.userId);
  const round = await requireRound(deps, request.roomId, request.roundId);
  const seat = assertMayWrite(round, identity.userId, deps.clock.now());
  if (!(await deps.rateLimiter.tryAcquire(identity.userId))) throw new RateLimitedError();

  const { verdict } = await checkMessage(deps, { roomId: round.roomId, senderType: 'human', text: request.text });
  if (verdict.state === 'blocked' || verdict.state === 'quarantined') {
    throw new ValidationError(`The room’s moderation did not allow this line (${verdict.reasons.join(', ') || 'policy'}).`);
  }
  const result = await appendRoundLine(deps, round, {
    seat: seat.seat,
    alias: seat.alias,
    text: verdict.text,
    clientLineId: request.clientLineId,
    writerId: identity.userId,
  });
  if (result.outcome === 'duplicate') return { line: result.line, duplicate: true };
  if (result.outcome === 'closed') throw new ConflictError('This round is over.');
  if (result.outcome === 'movedOn') throw new ConflictError('Too many lines at once; send yours again.');
  await deps.jobs.enqueue(
    { kind: 'imposterLine', roomId: round.roomId, roundId: round.roundId, afterLines: result.line.seq },
    aiDelaySeconds(result.line.text, deps.random),
  );
  return { line: result.line, duplicate: false, delivery: result.delivery };
}
