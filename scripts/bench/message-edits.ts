/**
 * What editing, deleting and mentioning cost: the DynamoDB requests of one
 * sendMessage with and without a member's @mention, of one editMessage (the
 * room keeping originals, the default, and not), and of a sender's
 * deleteMessage, with the real adapters against DynamoDB Local (the
 * management API replaced by a counter); and the median and 95th percentile
 * time of an edit there, one at a time.
 *
 *   npx tsx scripts/bench/message-edits.ts
 */
import { loadavg } from 'node:os';
import { DynamoAgentRepository } from '../../lambdas/adapters/dynamodb/agent-repository';
import { DynamoAuditLog } from '../../lambdas/adapters/dynamodb/audit-log';
import { AUDIT_TABLE } from '../../lambdas/adapters/dynamodb/audit-schema';
import { DynamoConnectionRepository } from '../../lambdas/adapters/dynamodb/connection-repository';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { DynamoModeratedMessageStore } from '../../lambdas/adapters/dynamodb/moderation-message-store';
import { DynamoOriginalTextStore } from '../../lambdas/adapters/dynamodb/moderation-originals';
import { MODERATION_TABLE } from '../../lambdas/adapters/dynamodb/moderation-schema';
import { DynamoModerationSettingsRepository } from '../../lambdas/adapters/dynamodb/moderation-settings-repository';
import { DynamoRateLimiter } from '../../lambdas/adapters/dynamodb/rate-limiter';
import { DynamoRoomRepository } from '../../lambdas/adapters/dynamodb/room-repository';
import { DynamoSendContextReader } from '../../lambdas/adapters/dynamodb/send-context-reader';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { createIdGenerator } from '../../lambdas/domain/ids';
import { DEFAULT_EDIT_WINDOW_SECONDS } from '../../lambdas/domain/message-edits';
import { DEFAULT_MODERATION_SETTINGS } from '../../lambdas/domain/moderation/settings';
import type { ConnectionGateway } from '../../lambdas/domain/ports';
import { editMessage } from '../../lambdas/use-cases/edit-message';
import { deleteMessage } from '../../lambdas/use-cases/moderation/moderate-actions';
import { sendMessage } from '../../lambdas/use-cases/send-message';
import { ensureTable, startDynamoDbLocal } from '../local/engines/dynamodb';
import { REGION, table } from './dynamodb-requests';
import { countingDynamoDb } from './support';

/** Messages kept forever: no policy read, as before retention existed. */
const FOREVER = { days: 'forever' as const, archiveDeletions: false, source: 'default' as const };

export interface EditCostRow {
  readonly operation: string;
  readonly requests: Record<string, number>;
  readonly totalRequests: number;
  readonly posts: number;
}

export interface EditCosts {
  readonly rows: EditCostRow[];
  readonly edits: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly loadAverage: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export async function measureMessageEdits(edits = 100, roomConnections = 10): Promise<EditCosts> {
  const loadAverage = loadavg()[0] ?? 0;
  const engine = await startDynamoDbLocal({ port: 0, region: REGION });
  try {
    const ids = { rooms: 'e-rooms', messages: 'e-messages', connections: 'e-connections', moderation: 'e-moderation', audit: 'e-audit' };
    await ensureTable(engine.client, table(ids.rooms, ROOMS_TABLE.partitionKey, ROOMS_TABLE.sortKey, [ROOMS_TABLE.byUserIndex, ROOMS_TABLE.publicRoomsIndex]));
    await ensureTable(engine.client, table(ids.messages, MESSAGES_TABLE.partitionKey, MESSAGES_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.connections, CONNECTIONS_TABLE.partitionKey, CONNECTIONS_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.moderation, MODERATION_TABLE.partitionKey, MODERATION_TABLE.sortKey));
    await ensureTable(engine.client, table(ids.audit, AUDIT_TABLE.partitionKey, AUDIT_TABLE.sortKey));

    const { raw, client, counts } = countingDynamoDb(engine.endpoint, REGION);
    const rooms = new DynamoRoomRepository(client, ids.rooms);
    const connections = new DynamoConnectionRepository(client, ids.connections);
    let posts = 0;
    const gateway: ConnectionGateway = {
      post: async () => {
        posts += 1;
        return 'delivered';
      },
    };
    const clock = { now: () => Date.now() };
    const agents = new DynamoAgentRepository(client, ids.rooms);
    const settings = new DynamoModerationSettingsRepository(client, ids.rooms);
    const originals = new DynamoOriginalTextStore(client, ids.moderation, 30);
    const audit = new DynamoAuditLog(client, ids.audit);
    const common = {
      rooms,
      connections,
      gateway,
      settings,
      agents: { handles: async (roomId: string) => new Set((await agents.listAgents(roomId)).map((a) => a.handle)) },
      originals,
      clock,
      maxTextBytes: 4096,
    };
    const sendDeps = {
      ...common,
      context: new DynamoSendContextReader(client, ids.rooms),
      messages: new DynamoMessageRepository(client, ids.messages),
      retention: {
        retentionOf: async () => FOREVER,
        held: () => FOREVER,
        keep: () => FOREVER,
      },
      rateLimiter: new DynamoRateLimiter(client, ids.connections, { perSecond: 10_000, burst: 10_000, clock }),
      nextId: createIdGenerator(),
    };
    const editDeps = { ...common, messages: sendDeps.messages, audit, editWindowSeconds: DEFAULT_EDIT_WINDOW_SECONDS };
    const moderationDeps = { ...common, messages: new DynamoModeratedMessageStore(client, ids.messages), audit };

    const sender = { userId: 'sender', displayName: 'Sender' };
    const roomId = 'room-edits';
    const now = new Date().toISOString();
    await rooms.createRoom(
      { roomId, name: roomId, visibility: 'public', ownerId: sender.userId, createdAt: now },
      { roomId, userId: sender.userId, displayName: 'Sender', role: 'owner', joinedAt: now },
    );
    await rooms.putMembership({ roomId, userId: 'u-ada', displayName: 'Ada', role: 'member', joinedAt: now });
    for (let i = 0; i < roomConnections; i += 1) {
      await connections.saveConnection({ connectionId: `c${i}`, userId: `u${i}`, displayName: 'Member', connectedAt: now }, [roomId]);
    }

    const rows: EditCostRow[] = [];
    const measure = async <T>(operation: string, act: () => Promise<T>): Promise<T> => {
      for (const key of Object.keys(counts)) delete counts[key];
      posts = 0;
      const result = await act();
      rows.push({ operation, requests: { ...counts }, totalRequests: Object.values(counts).reduce((a, b) => a + b, 0), posts });
      return result;
    };
    let sequence = 0;
    const send = (text: string) => sendMessage(sendDeps, sender, { roomId, clientMessageId: `m-${(sequence += 1)}`, text });

    await measure('sendMessage, no mention', () => send('hello'));
    const mentioning = await measure('sendMessage mentioning a member (@ada)', () => send('hello @ada'));
    await measure('editMessage (room keeps originals, the default)', () =>
      editMessage(editDeps, sender, { roomId, messageId: mentioning.message.messageId, text: 'hello again @ada' }),
    );
    await settings.put(roomId, { ...DEFAULT_MODERATION_SETTINGS, keepOriginals: false }, { updatedBy: sender.userId, updatedAt: now });
    const plain = await send('plain');
    await measure('editMessage (room keeps no originals), no mention', () =>
      editMessage(editDeps, sender, { roomId, messageId: plain.message.messageId, text: 'plain, edited' }),
    );
    await measure('deleteMessage by its sender', () =>
      deleteMessage(moderationDeps, sender, { roomId, messageId: plain.message.messageId }),
    );

    const durations: number[] = [];
    for (let i = 0; i < edits; i += 1) {
      const { message } = await send(`draft ${i}`);
      const started = performance.now();
      await editMessage(editDeps, sender, { roomId, messageId: message.messageId, text: `final ${i}` });
      durations.push(performance.now() - started);
    }
    durations.sort((a, b) => a - b);
    raw.destroy();
    return { rows, edits, medianMs: percentile(durations, 0.5), p95Ms: percentile(durations, 0.95), loadAverage };
  } finally {
    await engine.stop();
  }
}

export function formatMessageEdits(costs: EditCosts): string {
  const lines = ['| operation | DynamoDB requests | by operation | posts |', '|---|---:|---|---:|'];
  for (const r of costs.rows) {
    const ops = Object.entries(r.requests)
      .sort()
      .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
      .join(', ');
    lines.push(`| ${r.operation} | ${r.totalRequests} | ${ops} | ${r.posts} |`);
  }
  lines.push(
    '',
    `${costs.edits} edits one after another against DynamoDB Local: median ${costs.medianMs.toFixed(1)} ms, ` +
      `95th percentile ${costs.p95Ms.toFixed(1)} ms (load average ${costs.loadAverage.toFixed(2)} at start).`,
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('What editing, deleting and mentioning cost\n');
  console.log(formatMessageEdits(await measureMessageEdits()));
}
