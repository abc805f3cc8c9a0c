/**
 * The games' queued work: what happens later than the request that caused
 * it, in a worker (serverless: SQS with per-message delays, no server
 * waiting). Each job is safe to run twice: its handler checks the stored
 * state first (a round already ended, a turn already answered).
 */

/** The imposter worker's jobs (the ImposterJobs queue). */
export type ImposterJob =
  /** The AI considers writing its next line, `afterLines` being the line count it reacts to; dropped when the round has moved on or ended. */
  | { readonly kind: 'imposterLine'; readonly roomId: string; readonly roundId: string; readonly afterLines: number }
  /** Ends the round if its time is up; requeued with the remaining delay when a queue's maximum delay (15 min) fell short. */
  | { readonly kind: 'roundTimer'; readonly roomId: string; readonly roundId: string };

/** The dialogue worker's jobs (the DialogueJobs queue). */
export type DialogueJob =
  /** Answers the player's turn `turn` (the characters' replies, their new state, new options). */
  | { readonly kind: 'dialogueTurn'; readonly roomId: string; readonly dialogueId: string; readonly turn: number }
  /** Writes the dialogue's outcome and summary. */
  | { readonly kind: 'dialogueResolve'; readonly roomId: string; readonly dialogueId: string; readonly reason: 'requested' | 'goal' | 'turnLimit' };

/** SQS's longest per-message delay, in seconds. */
export const MAX_QUEUE_DELAY_SECONDS = 900;
