import { NotFoundError } from '../../../domain/errors';
import { fitToBudget, PAGE_BUDGET_BYTES } from '../../../domain/frame-budget';
import type { RoundLine, RoundReveal, RoundScore, RoundView } from '../../../domain/games/imposter';
import { publicLine, revealRound, roundView, scoreRound } from '../../../domain/games/imposter-rules';
import type { RequestOf } from '../../../domain/protocol';
import type { Identity } from '../../../domain/types';
import type { ImposterDeps } from './deps';
import { requireImposterRoom, requireRound } from './round-access';

export interface RoundDetails {
  readonly round: RoundView;
  readonly lines: readonly RoundLine[];
  /** How many of the round's first lines were left out to keep the answer within a frame; absent when none. */
  readonly omittedLines?: number;
  /** Only once the round has ended: who sat where, and the points. */
  readonly reveal?: RoundReveal;
  readonly scores?: readonly RoundScore[];
}

/**
 * The room's latest round (or the one named) with its lines (the latest
 * that fit one frame, `omittedLines` saying how many earlier ones did not)
 * and the caller's seat; its reveal and scores once it has ended, never before.
 * Members only: a private room's non-member hears NOT_FOUND, as for every
 * read. A room that never had a round answers NOT_FOUND.
 */
export async function getRound(
  deps: Pick<ImposterDeps, 'rooms' | 'rounds'>,
  identity: Identity,
  request: RequestOf<'getRound'>,
): Promise<RoundDetails> {
  await requireImposterRoom(deps, request.roomId, identity.userId);
  const round =
    request.roundId !== undefined
      ? await requireRound(deps, request.roomId, request.roundId)
      : await deps.rounds.getLatestRound(request.roomId);
  if (!round) throw new NotFoundError('This room has had no round yet.');
  // Nobody's client line ids: only people's lines have them, so they would point at the AI's.
  const all = (await deps.rounds.listLines(round.roundId)).map(publicLine);
  // The latest lines that fit a frame, oldest first: a long busy round can outgrow one.
  const kept = fitToBudget([...all].reverse(), JSON.stringify, PAGE_BUDGET_BYTES).items.reverse();
  const lines = { lines: kept, ...(kept.length < all.length ? { omittedLines: all.length - kept.length } : {}) };
  const view = roundView(round, identity.userId);
  if (round.status === 'open') return { round: view, ...lines };
  const votes = await deps.rounds.listVotes(round.roundId);
  return { round: view, ...lines, reveal: revealRound(round, votes), scores: scoreRound(round, votes) };
}
