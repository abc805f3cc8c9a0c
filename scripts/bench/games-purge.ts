/**
 * What deleting a deleted room's game data costs: the DynamoDB requests and
 * the time DynamoGamesPurge takes to delete a room's rounds (each with its
 * lines and votes in a partition of its own), dialogues (with their turns),
 * scenarios and leaderboard, a page of 25 at a time, with the real adapter
 * against DynamoDB Local. The baseline, in the same run, deletes as many
 * items kept in one partition (DynamoPartitionPurge, as the integrations'
 * purge does): the difference is the price of finding each round's and
 * dialogue's partition.
 *
 *   npm run bench -- games-purge
 */
import { batchWriteAll } from '../../lambdas/adapters/dynamodb/batch-write';
import { DynamoGamesPurge } from '../../lambdas/adapters/dynamodb/games-purge';
import { GAMES_TABLE, gamesKeys } from '../../lambdas/adapters/dynamodb/games-schema';
import { DynamoPartitionPurge } from '../../lambdas/adapters/dynamodb/memory-purge';
import { MEMORY_PURGE_PAGE_SIZE, type RoomPartitionPurge } from '../../lambdas/domain/room-purge';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { REGION, table } from './dynamodb-requests';
import { countingDynamoDb } from './support';

/** A round's lines and votes: a short round of six players. */
const LINES_PER_ROUND = 30;
const VOTES_PER_ROUND = 6;
const TURNS_PER_DIALOGUE = 12;

export interface GamesPurgeRow {
  readonly rounds: number;
  readonly dialogues: number;
  readonly items: number;
  readonly pages: number;
  readonly requests: number;
  readonly byOperation: Record<string, number>;
  readonly ms: number;
  readonly baselineRequests: number;
  readonly baselineMs: number;
}

/** The keys of a room with `rounds` rounds and `dialogues` dialogues, by partition. */
function roomItems(roomId: string, rounds: number, dialogues: number): Array<{ pk: string; sk: string }> {
  const items: Array<{ pk: string; sk: string }> = [];
  const room = gamesKeys.room(roomId);
  items.push({ pk: room, sk: gamesKeys.openRound }, { pk: room, sk: gamesKeys.activeDialogue });
  for (let r = 0; r < rounds; r += 1) {
    const roundId = `${roomId}-round-${r}`;
    items.push({ pk: room, sk: gamesKeys.round(roundId) });
    for (let l = 1; l <= LINES_PER_ROUND; l += 1) items.push({ pk: gamesKeys.roundPartition(roundId), sk: gamesKeys.line(l) });
    for (let v = 0; v < VOTES_PER_ROUND; v += 1) items.push({ pk: gamesKeys.roundPartition(roundId), sk: gamesKeys.vote(`u-${v}`) });
  }
  for (let d = 0; d < dialogues; d += 1) {
    const dialogueId = `${roomId}-dialogue-${d}`;
    items.push({ pk: room, sk: gamesKeys.dialogue(dialogueId) }, { pk: room, sk: gamesKeys.scenario(`scenario-${d}`) });
    for (let t = 1; t <= TURNS_PER_DIALOGUE; t += 1) items.push({ pk: gamesKeys.dialoguePartition(dialogueId), sk: gamesKeys.turn(t) });
  }
  for (let p = 0; p < VOTES_PER_ROUND; p += 1) items.push({ pk: gamesKeys.roomBoard(roomId), sk: gamesKeys.player(`u-${p}`) });
  return items;
}

export async function runGamesPurgeBenchmark(
  sizes: ReadonlyArray<{ rounds: number; dialogues: number }> = [
    { rounds: 5, dialogues: 2 },
    { rounds: 50, dialogues: 10 },
    { rounds: 200, dialogues: 40 },
  ],
): Promise<GamesPurgeRow[]> {
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const ids = { games: 'bench-games', flat: 'bench-flat' };
    await ensureTable(engine.client, table(ids.games, GAMES_TABLE.partitionKey, GAMES_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.flat, GAMES_TABLE.partitionKey, GAMES_TABLE.sortKey));
    const { raw, client, counts } = countingDynamoDb(engine.endpoint, REGION);
    const keys = { partitionKey: GAMES_TABLE.partitionKey, sortKey: GAMES_TABLE.sortKey };
    const rows: GamesPurgeRow[] = [];

    /** Pages `purge` until a short page, as the purge use case does; its pages, requests and time. */
    const timed = async (purge: RoomPartitionPurge, roomId: string) => {
      for (const key of Object.keys(counts)) delete counts[key];
      let pages = 0;
      const started = performance.now();
      for (;;) {
        pages += 1;
        if ((await purge.deletePage(roomId, MEMORY_PURGE_PAGE_SIZE)) < MEMORY_PURGE_PAGE_SIZE) break;
      }
      const ms = Math.round(performance.now() - started);
      return { pages, ms, byOperation: { ...counts }, requests: Object.values(counts).reduce((a, b) => a + b, 0) };
    };

    for (const { rounds, dialogues } of sizes) {
      const roomId = `bench-games-${rounds}`;
      const items = roomItems(roomId, rounds, dialogues);
      await batchWriteAll(client, ids.games, items.map((Item) => ({ PutRequest: { Item } })));
      const flatRoom = `bench-flat-${rounds}`;
      await batchWriteAll(client, ids.flat, items.map((_, i) => ({ PutRequest: { Item: { pk: flatRoom, sk: `ITEM#${String(i).padStart(6, '0')}` } } })));

      const baseline = await timed(new DynamoPartitionPurge(client, ids.flat, keys), flatRoom);
      const games = await timed(new DynamoGamesPurge(client, ids.games), roomId);
      rows.push({
        rounds,
        dialogues,
        items: items.length,
        pages: games.pages,
        requests: games.requests,
        byOperation: games.byOperation,
        ms: games.ms,
        baselineRequests: baseline.requests,
        baselineMs: baseline.ms,
      });
    }
    raw.destroy();
    return rows;
  } finally {
    await engine.stop();
  }
}

export function formatGamesPurge(rows: readonly GamesPurgeRow[]): string {
  const lines = [
    '| rounds | dialogues | items | pages | DynamoDB requests | by operation | ms | one-partition baseline: requests, ms | requests ratio | time ratio |',
    '|---:|---:|---:|---:|---:|---|---:|---|---:|---:|',
  ];
  for (const r of rows) {
    const ops = Object.entries(r.byOperation)
      .sort()
      .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
      .join(', ');
    const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
    lines.push(
      `| ${r.rounds} | ${r.dialogues} | ${r.items} | ${r.pages} | ${r.requests} | ${ops} | ${r.ms} | ${r.baselineRequests}, ${r.baselineMs} | ${ratio(r.requests, r.baselineRequests)} | ${ratio(r.ms, r.baselineMs)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('A deleted room’s game data purged against DynamoDB Local, by number of rounds and dialogues\n');
  console.log(formatGamesPurge(await runGamesPurgeBenchmark()));
}
