import type { FrameType } from '../domain/frame-schemas';
import type { ReceivedFrame, WireMessage } from '../domain/protocol';
import type { Membership, Room } from '../domain/types';
import type { RoundView } from '../domain/games/imposter';
import type { DialogueOutcome, DialogueView } from '../domain/games/dialogue';

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
const roundId = '01JZ3KA0R7N5M3K1H9G7F5D3B1';
const round: RoundView = {
  roomId,
  roundId,
  status: 'open',
  startedAt: at,
  endsAt: '2026-12-06T12:03:00.000Z',
  durationSeconds: 180,
  seats: [
    { seat: 1, alias: 'Sam' },
    { seat: 2, alias: 'Robin' },
    { seat: 3, alias: 'Kim' },
    { seat: 4, alias: 'Jo' },
  ],
  players: 3,
  lines: 0,
  votes: 0,
};
const dialogueId = '01JZ3KB1S8P6N4M2J0H8G6E4C2';
const dialogue: DialogueView = {
  roomId,
  dialogueId,
  scenarioId: 'rent-talk',
  title: 'The rent talk',
  goal: 'Keep the rise under ten percent.',
  status: 'active',
  startedAt: at,
  turn: 0,
  maxTurns: 12,
  characters: [{ characterId: 'landlord', name: 'Mr Okafor', mood: -1, traits: ['practical'] }],
  options: [
    { optionId: 'o1', text: 'Remind him you always paid on time.' },
    { optionId: 'o2', text: 'Ask what the rise pays for.' },
  ],
};
const outcome: DialogueOutcome = {
  result: 'success',
  goalReached: true,
  reason: 'goal',
  turns: 4,
  summary: 'Mr Okafor agreed to an eight percent rise after hearing six years of on-time payments.',
  finalState: [{ characterId: 'landlord', name: 'Mr Okafor', mood: 3, opinions: { 'the-tenant': 3 }, traits: ['practical'] }],
  resolvedAt: at,
};

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
      roomMode: 'imposter',
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
  roundStarted: { type: 'roundStarted', roomId, round },
  roundLine: { type: 'roundLine', roomId, line: { roundId, seq: 1, seat: 2, alias: 'Robin', text: 'hi all, who wants to start', at } },
  roundVote: { type: 'roundVote', roomId, roundId, votes: 2, players: 3 },
  roundEnded: {
    type: 'roundEnded',
    roomId,
    round: { ...round, status: 'ended', votes: 3, endedAt: at, endReason: 'allVoted' },
    reveal: {
      agentSeat: 3,
      agentLabel: 'AI (offline model)',
      seats: [
        { seat: 1, alias: 'Sam', kind: 'person', displayName: 'Alice', playerId: 'u-alice' },
        { seat: 2, alias: 'Robin', kind: 'person', displayName: 'Bob', playerId: 'u-bob' },
        { seat: 3, alias: 'Kim', kind: 'agent', displayName: 'AI (offline model)', playerId: 'agent:imposter' },
        { seat: 4, alias: 'Jo', kind: 'person', displayName: 'Carol', playerId: 'u-carol' },
      ],
      votes: [
        { voterSeat: 1, votedSeat: 3 },
        { voterSeat: 2, votedSeat: 4 },
        { voterSeat: 4, votedSeat: 3 },
      ],
    },
    scores: [
      { playerId: 'u-alice', kind: 'person', displayName: 'Alice', points: 2, outcome: 'found' },
      { playerId: 'u-bob', kind: 'person', displayName: 'Bob', points: 0, outcome: 'missed' },
      { playerId: 'u-carol', kind: 'person', displayName: 'Carol', points: 2, outcome: 'found' },
      { playerId: 'agent:imposter', kind: 'agent', displayName: 'AI (offline model)', points: 1, outcome: 'detected' },
    ],
  },
  dialogueStarted: {
    type: 'dialogueStarted',
    roomId,
    dialogue,
    opening: { dialogueId, turn: 0, replies: [{ characterId: 'landlord', name: 'Mr Okafor', text: 'Sit down.' }], changes: [], at },
  },
  dialogueProgressed: {
    type: 'dialogueProgressed',
    roomId,
    dialogue: { ...dialogue, turn: 1 },
    turn: {
      dialogueId,
      turn: 1,
      playerId: 'u-bob',
      playerName: 'Bob',
      text: 'I have paid on time for six years.',
      replies: [{ characterId: 'landlord', name: 'Mr Okafor', text: 'That is true. Go on.' }],
      changes: [{ characterId: 'landlord', field: 'mood', from: -1, to: 1 }],
      at,
    },
  },
  dialogueResolved: {
    type: 'dialogueResolved',
    roomId,
    dialogue: { ...dialogue, status: 'resolved', turn: 4, options: [], outcome },
    outcome,
  },
};
