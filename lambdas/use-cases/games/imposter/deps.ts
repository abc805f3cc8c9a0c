import type { AuditLog } from '../../../domain/audit';
import type { ImposterJobQueue, LeaderboardReader, RoundStore } from '../../../domain/games/imposter-ports';
import type { Random } from '../../../domain/games/imposter-rules';
import type { RoomDeps } from '../../room-deps';

/** What the imposter use cases share. */
export interface ImposterDeps extends RoomDeps {
  /** Each step of a round is recorded here; the events publisher turns the entries into domain events. */
  readonly audit: AuditLog;
  readonly rounds: RoundStore;
  readonly leaderboards: LeaderboardReader;
  readonly jobs: ImposterJobQueue;
  /** Seating and the AI's pace draw from it (Math.random in production). */
  readonly random: Random;
  /** What the reveal calls the AI, e.g. "AI (amazon.nova-lite-v1:0)". */
  readonly agentLabel: string;
}
