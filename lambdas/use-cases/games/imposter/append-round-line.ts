import type { DeliveryReport } from '../../../domain/delivery';
import type { Round, RoundLine } from '../../../domain/games/imposter';
import { isRoundLive, publicLine } from '../../../domain/games/imposter-rules';
import { expiresAtOf } from '../../../domain/retention/policy';
import type { RetentionLookup } from '../../../domain/retention/ports';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import type { ImposterDeps } from './deps';

/** Lines written at the same moment by several players: each retries on the count it lost to, a few times. */
const APPEND_ATTEMPTS = 5;

export type AppendedLine =
  | { readonly outcome: 'written'; readonly line: RoundLine; readonly delivery: DeliveryReport }
  | { readonly outcome: 'duplicate'; readonly line: RoundLine }
  | { readonly outcome: 'closed' }
  /** Only for `exactlyAfter`: the chat moved on before the line could be written. */
  | { readonly outcome: 'movedOn' };

/**
 * Writes a line as the round's next one and tells the room (`roundLine`).
 * A person's line takes the next number whatever was written meanwhile
 * (retrying when another line took it); the AI's passes `exactlyAfter`, the
 * line count it answered, and is dropped when someone wrote since, so it
 * never answers a state of the chat that is gone. Used by sendRoundLine and
 * the AI's turn, so both write lines the same way.
 */
export async function appendRoundLine(
  deps: Pick<ImposterDeps, 'rounds' | 'clock' | 'connections' | 'gateway'> & { readonly retention: RetentionLookup },
  round: Round,
  line: Omit<RoundLine, 'seq' | 'roundId' | 'at'> & { readonly writerId: string },
  exactlyAfter?: number,
): Promise<AppendedLine> {
  const { days } = await deps.retention.retentionOf(round.roomId);
  let current: Round | undefined = round;
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
    const now = deps.clock.now();
    if (!current || !isRoundLive(current, now)) return { outcome: 'closed' };
    const afterLines = exactlyAfter ?? current.lines;
    const result = await deps.rounds.appendLine(
      current,
      afterLines,
      { ...line, at: new Date(now).toISOString() },
      expiresAtOf(now, days),
    );
    if (result.outcome === 'duplicate') return result;
    if (result.outcome === 'written') {
      const delivery = await deliverToRoom(deps, round.roomId, { type: 'roundLine', roomId: round.roomId, line: publicLine(result.line) });
      return { outcome: 'written', line: result.line, delivery };
    }
    if (exactlyAfter !== undefined) return { outcome: 'movedOn' };
    current = await deps.rounds.getRound(round.roomId, round.roundId);
  }
  return { outcome: 'movedOn' };
}
