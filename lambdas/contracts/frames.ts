import type { FrameType } from '../domain/frame-schemas';
import type { ReceivedFrame, WireMessage } from '../domain/protocol';
import type { Membership, Room } from '../domain/types';

/**
 * An example of every frame Parley sends, for the AsyncAPI document. Typed
 * against the frame types, so an example that no longer matches its frame,
 * or a frame without one, fails `tsc`; the generator's tests check each
 * against its schema.
 */
const roomId = '01JZ3K7R1DS4W5X6Y7Z8A9B0CD';
const messageId = '01JZ3K8W5QF1V7R2M9XG4T6HCE';
const at = '2026-12-06T12:00:00.000Z';
const room: Room = { roomId, name: 'Design review', visibility: 'public', ownerId: 'u-alice', createdAt: at, topic: 'Weekly' };
const member: Membership = { roomId, userId: 'u-bob', displayName: 'Bob', role: 'member', joinedAt: at };
const message: WireMessage = {
  roomId,
  messageId,
  senderId: 'u-bob',
  senderName: 'Bob',
  senderType: 'human',
  text: 'Hello, @alice',
  clientMessageId: 'm-1',
  createdAt: at,
  mentions: [{ kind: 'member', id: 'u-alice' }],
  moderation: 'allowed',
  decision: 'allowed',
  reasons: [],
  moderatedAt: at,
};
const agent = { handle: 'scribe', displayName: 'Scribe' };

export const FRAME_EXAMPLES: { readonly [T in FrameType]: Extract<ReceivedFrame, { type: T }> } = {
  ack: { type: 'ack', action: 'joinRoom', requestId: 'q1', data: { membership: member } },
  error: { type: 'error', code: 'BAD_REQUEST', message: 'roomId: Too small', requestId: 'q1', action: 'joinRoom' },
  message: { type: 'message', roomId, message },
  messageUpdated: { type: 'messageUpdated', roomId, message: { ...message, text: 'Hello again', editedAt: at } },
  messageRemoved: { type: 'messageRemoved', roomId, messageId },
  roomEvent: { type: 'roomEvent', roomId, event: { kind: 'memberJoined', member } },
  roomUpdated: { type: 'roomUpdated', room },
  roomRemoved: { type: 'roomRemoved', roomId, reason: 'left' },
  agentDelta: { type: 'agentDelta', roomId, replyId: '01JZ3K9C0000000000000000AA', agent, text: 'Here is', seq: 0 },
  agentDone: {
    type: 'agentDone',
    roomId,
    replyId: '01JZ3K9C0000000000000000AA',
    message: {
      ...message,
      messageId: '01JZ3K9C0000000000000000AA',
      senderId: 'agent:scribe',
      senderName: 'Scribe',
      senderType: 'agent',
      text: 'Here is the summary.',
      agents: true,
      moderation: 'pending',
      agent: {
        handle: 'scribe',
        modelId: 'amazon.nova-lite-v1:0',
        inputTokens: 812,
        outputTokens: 64,
        latencyMs: 1430,
        replyDepth: 1,
        triggerMessageId: messageId,
      },
    },
  },
  agentThinking: { type: 'agentThinking', roomId, messageId, agent, status: 'searchingHistory' },
  notice: { type: 'notice', roomId, text: 'Scribe is unavailable.', code: 'AGENT_UNAVAILABLE', messageId, agent },
  agentChanged: { type: 'agentChanged', roomId, change: 'added', agent, by: 'u-alice' },
  invitation: {
    type: 'invitation',
    invitation: {
      roomId,
      userId: 'u-bob',
      role: 'member',
      invitedBy: 'u-alice',
      invitedAt: at,
      invitedByName: 'Alice',
      inviteeName: 'Bob',
      roomName: 'Design review',
      expiresAt: '2026-12-13T12:00:00.000Z',
    },
  },
  invitationRevoked: { type: 'invitationRevoked', roomId, by: 'u-alice' },
  invitationDeclined: { type: 'invitationDeclined', roomId },
  roomAdded: { type: 'roomAdded', room, membership: member },
  presence: { type: 'presence', roomId, userId: 'u-bob', online: true },
  typing: { type: 'typing', roomId, userId: 'u-bob', displayName: 'Bob', expiresInMs: 5000 },
  readState: { type: 'readState', roomId, messageId, readAt: at },
  documentStatus: {
    type: 'documentStatus',
    roomId,
    documentId: '01JZ3K9A2B7C4D5E6F8G9H0JKM',
    name: 'handbook.pdf',
    version: 1,
    status: 'ready',
    chunks: 42,
  },
  documentDeleted: { type: 'documentDeleted', roomId, documentId: '01JZ3K9A2B7C4D5E6F8G9H0JKM' },
};
