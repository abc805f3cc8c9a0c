/**
 * Key design of the games table: imposter rounds, their lines and votes,
 * the leaderboards, and dialogues with their scenarios and turns, in a
 * table of their own so only the games' functions are granted it.
 *
 *   pk                     sk                       item
 *   ROOM#<roomId>          ROUND#<roundId>          a round: seats (who really sits where), status, ends at, line and vote counts
 *   ROOM#<roomId>          ROUND#OPEN               the room's open round, if any (created conditionally: one at a time)
 *   ROUND#<roundId>        LINE#<seq, 6 digits>     a round line (expires with the room's retention, at most ROUND_TTL_DAYS)
 *   ROUND#<roundId>        VOTE#<voterId>           one player's vote (created conditionally: one each)
 *   ROUND#<roundId>        CLIENT#<writerId>#<id>   which line a writer's clientLineId became (created conditionally: a retry finds it)
 *   LB#<roomId>            PLAYER#<playerId>        a player's points in the room (ADDed atomically when a round ends)
 *   LB#ALL                 PLAYER#<playerId>        a player's points over every room
 *   ROOM#<roomId>          SCENARIO#<scenarioId>    a scenario the room's owner or a moderator uploaded
 *   ROOM#<roomId>          DIALOGUE#<dialogueId>    a dialogue: scenario, characters' state, options, outcome
 *   ROOM#<roomId>          DIALOGUE#ACTIVE          the room's active dialogue, if any (created conditionally: one at a time)
 *   DIALOGUE#<dialogueId>  TURN#<turn, 4 digits>    one exchange: the player's turn, the characters' replies, the changes
 *
 * Rankings: leaderboard items carry `board` (= their pk) and `points`; the
 * sparse index BY_POINTS (partition `board`, sort `points`, a number) holds
 * only those items, so the top N is one descending Query and a player's
 * rank is one COUNT Query of the points above theirs.
 */
export const GAMES_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

/** The sparse ranking index: leaderboard items only, by points. */
export const BY_POINTS_INDEX = {
  name: 'byPoints',
  partitionKey: 'board',
  sortKey: 'points',
} as const;

/** Round lines and dialogue turns hold text people wrote: they expire after this many days at most. */
export const GAME_TEXT_TTL_DAYS = 30;

export const gamesKeys = {
  room: (roomId: string): string => `ROOM#${roomId}`,
  round: (roundId: string): string => `ROUND#${roundId}`,
  roundsPrefix: 'ROUND#',
  openRound: 'ROUND#OPEN',
  roundPartition: (roundId: string): string => `ROUND#${roundId}`,
  line: (seq: number): string => `LINE#${String(seq).padStart(6, '0')}`,
  linesPrefix: 'LINE#',
  vote: (voterId: string): string => `VOTE#${voterId}`,
  votesPrefix: 'VOTE#',
  clientLine: (writerId: string, clientLineId: string): string => `CLIENT#${writerId}#${clientLineId}`,
  roomBoard: (roomId: string): string => `LB#${roomId}`,
  overallBoard: 'LB#ALL',
  player: (playerId: string): string => `PLAYER#${playerId}`,
  scenario: (scenarioId: string): string => `SCENARIO#${scenarioId}`,
  scenariosPrefix: 'SCENARIO#',
  dialogue: (dialogueId: string): string => `DIALOGUE#${dialogueId}`,
  activeDialogue: 'DIALOGUE#ACTIVE',
  dialoguePartition: (dialogueId: string): string => `DIALOGUE#${dialogueId}`,
  turn: (turn: number): string => `TURN#${String(turn).padStart(4, '0')}`,
  turnsPrefix: 'TURN#',
} as const;
