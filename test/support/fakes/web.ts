import { createIdGenerator } from '../../../lambdas/domain/ids';
import type { Transport } from '../../../web/src/client';
import { DisconnectedError, RequestError } from '../../../web/src/connection';
import type { ChatMessage, HistoryPage, HistoryRequest } from '../../../web/src/protocol';

const nextId = createIdGenerator();
let clock = Date.UTC(2026, 10, 21, 9, 0);

/** A stored message with a fresh time-sortable id. */
export function message(roomId: string, text: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  clock += 1000;
  return {
    roomId,
    messageId: nextId(clock),
    senderId: 'u-bob',
    senderName: 'Bob',
    senderType: 'human',
    text,
    createdAt: new Date(clock).toISOString(),
    ...overrides,
  };
}

/**
 * A room's history with the paging rules of Parley's message repository:
 * chronological pages, exclusive cursors, and a next cursor whenever a page
 * is full (DynamoDB's LastEvaluatedKey), even if nothing follows.
 */
export function historyOf(messages: readonly ChatMessage[]) {
  const sorted = [...messages].sort((a, b) => (a.messageId < b.messageId ? -1 : 1));
  const requests: HistoryRequest[] = [];
  const fetch = async (request: HistoryRequest): Promise<HistoryPage> => {
    requests.push(request);
    let items: ChatMessage[];
    if (request.direction === 'forward') {
      items = sorted.filter((m) => request.cursor === undefined || m.messageId > request.cursor).slice(0, request.limit);
    } else {
      items = sorted
        .filter((m) => request.cursor === undefined || m.messageId < request.cursor)
        .slice(-request.limit);
    }
    const full = items.length === request.limit;
    const last = request.direction === 'forward' ? items.at(-1) : items[0];
    return { roomId: request.roomId, items, ...(full && last ? { nextCursor: last.messageId } : {}) };
  };
  return { fetch, requests };
}

/**
 * Parley's requests, in memory: enough of the protocol for the client's
 * flows (rooms, members, history, idempotent sends), and a switch to play a
 * dropped connection.
 */
export class FakeParley implements Transport {
  readonly messages: ChatMessage[] = [];
  readonly sent: Array<Record<string, unknown>> = [];
  online = true;
  /** Sends stored but whose answer is lost (the connection drops before the ack). */
  loseNextAck = false;
  failWith: RequestError | undefined;
  /** How many markRead requests arrived. */
  markReadRequests = 0;
  /** Read marks by room (markRead, getReadState). */
  readonly marks = new Map<string, string>();

  constructor(readonly me = { userId: 'u-alice', displayName: 'Alice' }) {}

  async request<T>(action: string, payload: Record<string, unknown> = {}): Promise<T> {
    if (!this.online) throw new DisconnectedError();
    if (action === 'sendMessage') this.sent.push(payload);
    if (this.failWith) throw this.failWith;
    const roomId = String(payload['roomId'] ?? '');
    switch (action) {
      case 'listRooms':
        return { rooms: [{ roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '', role: 'owner' }] } as T;
      case 'listMembers':
        return { members: [{ roomId, userId: this.me.userId, displayName: this.me.displayName, role: 'owner', joinedAt: '' }] } as T;
      case 'listAgents':
        return { roomId, agents: [] } as T;
      case 'updateProfile':
        return { displayName: String(payload['displayName']).trim(), roomIds: ['r1'] } as T;
      case 'getHistory':
        return (await historyOf(this.messages.filter((m) => m.roomId === roomId)).fetch(payload as unknown as HistoryRequest)) as T;
      case 'sendMessage': {
        const clientMessageId = String(payload['clientMessageId']);
        let stored = this.messages.find((m) => m.senderId === this.me.userId && m.clientMessageId === clientMessageId);
        const duplicate = stored !== undefined;
        if (!stored) {
          stored = message(roomId, String(payload['text']), { senderId: this.me.userId, senderName: this.me.displayName, clientMessageId });
          this.messages.push(stored);
        }
        if (this.loseNextAck) {
          this.loseNextAck = false;
          this.online = false;
          throw new DisconnectedError();
        }
        return { roomId, messageId: stored.messageId, clientMessageId, createdAt: stored.createdAt, duplicate } as T;
      }
      case 'typing':
        return { expiresInMs: 6000 } as T;
      case 'markRead': {
        this.markReadRequests += 1;
        const messageId = String(payload['messageId']);
        const moved = (this.marks.get(roomId) ?? '') < messageId;
        if (moved) this.marks.set(roomId, messageId);
        return { moved, readState: { roomId, messageId: this.marks.get(roomId), readAt: '' } } as T;
      }
      case 'getReadState': {
        const roomIds = payload['roomIds'] as string[];
        return {
          readStates: roomIds.flatMap((id) => (this.marks.has(id) ? [{ roomId: id, messageId: this.marks.get(id), readAt: '' }] : [])),
        } as T;
      }
      default:
        throw new RequestError('UNKNOWN_ACTION', `Unknown action "${action}".`);
    }
  }
}
