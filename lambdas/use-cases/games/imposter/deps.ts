import type { ImposterJobQueue, LeaderboardReader, RoundStore } from '../../../domain/games/imposter-ports';
import type { Random } from '../../../domain/games/imposter-rules';
import type { RoomDeps } from '../../room-deps';

/**
 * What the imposter use cases share: the room actions' deps (each step of a
 * round is recorded in `audit`, which the events publisher turns into
 * domain events), and the round's own stores.
 */
export interface ImposterDeps extends RoomDeps {
  readonly rounds: RoundStore;
  readonly leaderboards: LeaderboardReader;
  readonly jobs: ImposterJobQueue;
  /** Seating and the AI's pace draw from it (Math.random in production). */
  readonly random: Random;
  /** What the reveal calls the AI, e.g. "AI (amazon.nova-lite-v1:0)". */
  readonly agentLabel: string;
}
