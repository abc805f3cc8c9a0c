/**
 * findUsers latency with 10,000 profiles, against DynamoDB Local: the use
 * case with the real profile adapter on the byName index, for name
 * prefixes of one to five characters, a page of 20. Profiles are written
 * through the adapter (renameProfile, an upsert), names drawn from lists of
 * first and last names with diacritics so prefixes are spread as real
 * names are. Three runs over the same data, each with the load average at
 * its start (what `uptime` prints).
 *
 *   npx tsx scripts/bench/people.ts
 *   npm run bench -- people
 */
import { loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoProfileRepository } from '../../lambdas/adapters/dynamodb/profile-repository';
import { ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { findUsers } from '../../lambdas/use-cases/people/find-users';
import { LOCAL_CREDENTIALS } from '../local/engines/credentials';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { table } from './dynamodb-requests';
import { pool } from './support';

const REGION = 'eu-west-1';

const FIRST = [
  'Ana', 'André', 'Anika', 'Ben', 'Béatrice', 'Bo', 'Carla', 'Chen', 'Chloé', 'Dario', 'Dmitri', 'Elena', 'Émile', 'Eva',
  'Farah', 'Felix', 'Grace', 'Gustav', 'Hana', 'Hugo', 'Ines', 'Ivan', 'Jamal', 'Jana', 'José', 'Kai', 'Karin', 'Leila',
  'Lukas', 'Maria', 'Marco', 'Mateo', 'Mei', 'Nadia', 'Noah', 'Olga', 'Omar', 'Paula', 'Pierre', 'Quinn', 'Rafael',
  'Rosa', 'Sara', 'Søren', 'Tomás', 'Uma', 'Victor', 'Wen', 'Yara', 'Zoë',
];
const LAST = [
  'Almeida', 'Bauer', 'Chen', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski',
  'López', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Vargas',
  'Weber', 'Xu', 'Yilmaz', 'Zhang',
];

export interface PeopleRunRow {
  readonly run: number;
  readonly loadAverage: string;
  readonly prefix: string;
  readonly queries: number;
  readonly matching: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export async function runPeopleBenchmark(
  options: { profiles?: number; runs?: number; queriesPerPrefix?: number } = {},
  log: (line: string) => void = () => undefined,
): Promise<{ profiles: number; loadMs: number; rows: PeopleRunRow[] }> {
  const profiles = options.profiles ?? 10_000;
  const runs = options.runs ?? 3;
  const queriesPerPrefix = options.queriesPerPrefix ?? 100;
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const tableName = 'bench-rooms';
    await ensureTable(engine.client, table(tableName, ROOMS_TABLE.partitionKey, ROOMS_TABLE.sortKey, [ROOMS_TABLE.nameIndex]));
    const raw = new DynamoDBClient({ endpoint: engine.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    const repository = new DynamoProfileRepository(client, tableName);

    const names = Array.from({ length: profiles }, (_, i) => {
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
      return `${first} ${last}${i >= FIRST.length * LAST.length ? ` ${Math.floor(i / (FIRST.length * LAST.length)) + 1}` : ''}`;
    });
    const loadStarted = performance.now();
    await pool(names, 16, async (name, i) => {
      await repository.renameProfile(`user-${String(i).padStart(5, '0')}`, name, new Date().toISOString());
    });
    const loadMs = performance.now() - loadStarted;
    log(`${profiles} profiles written in ${(loadMs / 1000).toFixed(1)} s`);

    // One to five characters of real names: "m" matches hundreds, "maria" a few dozen.
    const prefixes = ['m', 'ma', 'mar', 'mari', 'maria', 'zoe', 'sø'];
    const deps = { profiles: repository, rooms: { listRoomsOfUser: async () => [], listMembers: async () => [] }, peopleSearch: 'everyone' as const };
    const caller = { userId: 'bench', displayName: 'Bench' };
    const rows: PeopleRunRow[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const loadAverage = loadavg().map((l) => l.toFixed(2)).join(' ');
      for (const prefix of prefixes) {
        const durations: number[] = [];
        let matching = 0;
        for (let q = 0; q < queriesPerPrefix; q += 1) {
          const started = performance.now();
          const page = await findUsers(deps, caller, { query: prefix, limit: 20 });
          durations.push(performance.now() - started);
          matching = page.users.length;
        }
        durations.sort((a, b) => a - b);
        rows.push({
          run,
          loadAverage,
          prefix,
          queries: queriesPerPrefix,
          matching,
          p50Ms: percentile(durations, 50),
          p95Ms: percentile(durations, 95),
          maxMs: durations.at(-1) ?? 0,
        });
      }
      log(`run ${run} done (load average ${loadAverage} at its start)`);
    }
    raw.destroy();
    return { profiles, loadMs, rows };
  } finally {
    await engine.stop();
  }
}

export function formatPeople(result: { profiles: number; loadMs: number; rows: readonly PeopleRunRow[] }): string {
  const lines = [
    `${result.profiles} profiles; findUsers, a page of 20, one request at a time; latency of the use case with its DynamoDB Query.`,
    '',
    '| run | load average at start (1/5/15 min) | query | results on the page | queries | p50 ms | p95 ms | max ms |',
    '|---:|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.run} | ${r.loadAverage} | \`${r.prefix}\` | ${r.matching} | ${r.queries} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.maxMs.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runPeopleBenchmark(undefined, (line) => process.stderr.write(`  ${line}\n`));
  console.log(formatPeople(result));
}
