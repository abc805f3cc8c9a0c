import type { Action, RequestInputOf } from '../domain/protocol';

/**
 * What the published AsyncAPI document says about each action beyond its
 * schema: a one-line summary and a complete example request (every field it
 * accepts, so the contract tests can derive the required-only and the
 * all-fields variants from it). Typed against the request schemas, so an
 * action without a description, or an example the schema would refuse to
 * compile, fails `tsc`; the contract tests check each example against both
 * the specification and the edge.
 */
export interface ActionDoc<A extends Action> {
  readonly summary: string;
  readonly example: RequestInputOf<A> & { readonly requestId: string };
}

const room = 'r-7f3a';
const user = 'u-bob';
const messageId = '01JZ3K8W5QF1V7R2M9XG4T6HCE';
const documentId = '01JZ3K9A2B7C4D5E6F8G9H0JKM';
const roundId = '01JZ3KA0R7N5M3K1H9G7F5D3B1';

export const ACTION_DOCS: { readonly [A in Action]: ActionDoc<A> } = {
  createRoom: {
    summary: 'Creates a room owned by the caller.',
    example: { requestId: 'q1', name: 'Design review', visibility: 'public', mode: 'chat' },
  },
  listRooms: { summary: "The caller's rooms, a page at a time.", example: { requestId: 'q1', cursor: 'c1', limit: 50 } },
  joinRoom: { summary: 'Joins a public room.', example: { requestId: 'q1', roomId: room } },
  leaveRoom: { summary: 'Leaves a room.', example: { requestId: 'q1', roomId: room } },
  inviteMember: {
    summary: 'Invites a person to a room with a role (owners and moderators).',
    example: { requestId: 'q1', roomId: room, userId: user, role: 'member' },
  },
  setRole: {
    summary: "Changes a member's role (owners and moderators).",
    example: { requestId: 'q1', roomId: room, userId: user, role: 'moderator' },
  },
  removeMember: { summary: 'Removes a member from a room.', example: { requestId: 'q1', roomId: room, userId: user } },
  listMembers: {
    summary: "A room's members, a page at a time.",
    example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 100 },
  },
  sendMessage: {
    summary: 'Sends a message to a room; clientMessageId makes a retry safe.',
    example: { requestId: 'q1', roomId: room, clientMessageId: 'm-1', text: 'Hello, @bob' },
  },
  editMessage: {
    summary: 'Replaces the text of one of your own messages, within the edit window.',
    example: { requestId: 'q1', roomId: room, messageId, text: 'Hello again' },
  },
  getHistory: {
    summary: "A page of a room's messages.",
    example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 50, direction: 'backward' },
  },
  hideMessage: { summary: 'Hides a message from members (moderators).', example: { requestId: 'q1', roomId: room, messageId } },
  unhideMessage: { summary: 'Shows a hidden message again (moderators).', example: { requestId: 'q1', roomId: room, messageId } },
  releaseMessage: {
    summary: 'Releases a quarantined message to the room (moderators).',
    example: { requestId: 'q1', roomId: room, messageId },
  },
  deleteMessage: {
    summary: 'Deletes a message: any (moderators) or your own.',
    example: { requestId: 'q1', roomId: room, messageId },
  },
  getOriginalMessage: {
    summary: "A redacted message's original text, when kept (moderators).",
    example: { requestId: 'q1', roomId: room, messageId },
  },
  getModerationSettings: { summary: "The room's moderation settings.", example: { requestId: 'q1', roomId: room } },
  setModerationSettings: {
    summary: "Changes the room's moderation settings (owners).",
    example: {
      requestId: 'q1',
      roomId: room,
      settings: {
        enabled: true,
        pii: { action: 'redact', kinds: ['email', 'phone'], phoneRegions: ['GB'] },
        profanity: { action: 'redact' },
        injection: { action: 'quarantine', scope: 'addressedToAgents' },
        guardrail: { action: 'allow' },
        keepOriginals: true,
      },
    },
  },
  getAuditLog: {
    summary: "A page of the room's audit log, newest first (owners and moderators).",
    example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 50, kinds: ['member'], actorId: user },
  },
  listHeldMessages: {
    summary: 'Messages held for review, oldest first (moderators).',
    example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 50 },
  },
  updateProfile: {
    summary: "Changes the caller's display name in every room.",
    example: { requestId: 'q1', displayName: 'Alice Liddell' },
  },
  getSummary: { summary: "The room's rolling summary (room memory).", example: { requestId: 'q1', roomId: room } },
  addAgent: {
    summary: 'Adds an agent to a room (owners and moderators).',
    example: {
      requestId: 'q1',
      roomId: room,
      agent: {
        handle: 'scribe',
        displayName: 'Scribe',
        modelId: 'amazon.nova-lite-v1:0',
        temperature: 0.7,
        maxOutputTokens: 512,
        systemPrompt: 'You help the room.',
        persona: 'Friendly and brief.',
        trigger: { mode: 'mention' },
        historyWindow: 20,
        maxPromptTokens: 4000,
        useMemory: true,
        retrievalK: 4,
        dailyTokenBudget: 100000,
        answersAgents: false,
        tools: ['current_time'],
      },
    },
  },
  updateAgent: {
    summary: "Changes an agent's settings (owners and moderators).",
    example: {
      requestId: 'q1',
      roomId: room,
      handle: 'scribe',
      changes: {
        displayName: 'The Scribe',
        modelId: 'amazon.nova-lite-v1:0',
        temperature: 0.3,
        maxOutputTokens: 256,
        systemPrompt: 'You help the room.',
        persona: 'Terse.',
        trigger: { mode: 'ambient', probability: 0.1, minQuietSeconds: 600 },
        historyWindow: 10,
        maxPromptTokens: 2000,
        useMemory: false,
        retrievalK: 2,
        dailyTokenBudget: 50000,
        answersAgents: false,
        tools: ['search_room_history'],
      },
    },
  },
  listAgents: { summary: "The room's agents.", example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 50 } },
  removeAgent: { summary: 'Removes an agent from a room.', example: { requestId: 'q1', roomId: room, handle: 'scribe' } },
  stopAgentReply: {
    summary: 'Stops a reply while it streams (messageId: the reply).',
    example: { requestId: 'q1', roomId: room, messageId },
  },
  regenerateAgentReply: {
    summary: 'Asks the agent for another answer (messageId: the stored reply).',
    example: { requestId: 'q1', roomId: room, messageId },
  },
  setRetention: {
    summary: "Sets the room's retention (owners).",
    example: { requestId: 'q1', roomId: room, days: 30, archiveDeletions: false },
  },
  getRetention: { summary: "The room's retention policy.", example: { requestId: 'q1', roomId: room } },
  getArchive: {
    summary: "Links to the room's archived days (owners).",
    example: { requestId: 'q1', roomId: room, from: '2026-01-01', to: '2026-01-31', cursor: 'c1', limit: 10 },
  },
  whoami: { summary: "The caller's user id and display name.", example: { requestId: 'q1' } },
  findUsers: {
    summary: 'People whose name starts with query.',
    example: { requestId: 'q1', query: 'ali', cursor: 'c1', limit: 20 },
  },
  listInvitations: { summary: "The caller's pending invitations.", example: { requestId: 'q1', cursor: 'c1', limit: 50 } },
  listRoomInvitations: {
    summary: "A room's pending invitations (owners and moderators).",
    example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 50 },
  },
  acceptInvitation: { summary: 'Joins the room the caller was invited to.', example: { requestId: 'q1', roomId: room } },
  declineInvitation: { summary: 'Turns an invitation down.', example: { requestId: 'q1', roomId: room } },
  revokeInvitation: { summary: 'Withdraws an invitation.', example: { requestId: 'q1', roomId: room, userId: user } },
  updateRoom: {
    summary: "Changes a room's settings; at least one field (owners).",
    example: { requestId: 'q1', roomId: room, name: 'Design', topic: 'Weekly review', visibility: 'private', preview: false, shareMessageTextInEvents: false, guestAccess: 'off' },
  },
  deleteRoom: {
    summary: 'Deletes a room for good; confirm repeats its name (owners).',
    example: { requestId: 'q1', roomId: room, confirm: 'Design review' },
  },
  transferOwnership: {
    summary: 'Hands the room to another member.',
    example: { requestId: 'q1', roomId: room, userId: user },
  },
  banMember: {
    summary: 'Bans a person from a room (owners and moderators).',
    example: { requestId: 'q1', roomId: room, userId: user, reason: 'Spam' },
  },
  unbanMember: { summary: 'Lifts a ban.', example: { requestId: 'q1', roomId: room, userId: user } },
  listBans: { summary: "A room's bans.", example: { requestId: 'q1', roomId: room, cursor: 'c1', limit: 50 } },
  getRoom: { summary: 'A room for a member; a preview of a public room for anyone.', example: { requestId: 'q1', roomId: room } },
  searchRooms: {
    summary: 'Public rooms whose name starts with query.',
    example: { requestId: 'q1', query: 'des', cursor: 'c1', limit: 20 },
  },
  typing: { summary: 'The caller is typing in a room.', example: { requestId: 'q1', roomId: room } },
  markRead: { summary: 'The caller has read a room up to a message.', example: { requestId: 'q1', roomId: room, messageId } },
  getReadState: { summary: "The caller's last-read message in rooms.", example: { requestId: 'q1', roomIds: [room] } },
  requestDocumentUpload: {
    summary: 'A presigned POST for a new document or a new version (owners and moderators).',
    example: {
      requestId: 'q1',
      roomId: room,
      name: 'handbook.pdf',
      contentType: 'application/pdf',
      size: 120000,
      agentId: 'scribe',
      documentId,
    },
  },
  listDocuments: { summary: "The room's documents and their status.", example: { requestId: 'q1', roomId: room, cursor: documentId } },
  deleteDocument: { summary: 'Removes a document (owners and moderators).', example: { requestId: 'q1', roomId: room, documentId } },
  getDocumentPassage: {
    summary: "The passage a reply's citation points at.",
    example: { requestId: 'q1', roomId: room, documentId, version: 1, chunk: 0 },
  },
  startRound: {
    summary: 'Starts an imposter round with the online members and a hidden AI (owners and moderators).',
    example: { requestId: 'q1', roomId: room, durationSeconds: 180 },
  },
  sendRoundLine: {
    summary: "A line in the round's chat under the caller's round name.",
    example: { requestId: 'q1', roomId: room, roundId, clientLineId: 'l-1', text: 'anyone else think the last answer was too quick?' },
  },
  castVote: { summary: 'Votes for the seat the caller thinks is the AI, once a round.', example: { requestId: 'q1', roomId: room, roundId, seat: 3 } },
  getRound: { summary: "The room's current or a given round, with its lines (and reveal once ended).", example: { requestId: 'q1', roomId: room, roundId } },
  getLeaderboard: {
    summary: 'The top players of the room or of every room, and the caller rank.',
    example: { requestId: 'q1', roomId: room, scope: 'room', limit: 10 },
  },
  listScenarios: { summary: 'The scenarios a dialogue can start from.', example: { requestId: 'q1', roomId: room } },
  uploadScenario: {
    summary: "Adds or replaces one of the room's scenarios (owners and moderators).",
    example: {
      requestId: 'q1',
      roomId: room,
      scenario: {
        id: 'rent-talk',
        title: 'The rent talk',
        summary: 'Your landlord wants to raise the rent by a fifth.',
        goal: 'Keep the rise under ten percent.',
        setting: 'A small office above the bakery.',
        playerRole: 'A tenant of six years',
        characters: [
          {
            id: 'landlord',
            name: 'Mr Okafor',
            persona: 'A tired landlord who values reliable tenants.',
            mood: -1,
            opinions: { 'the-tenant': 1 },
            traits: ['practical'],
          },
        ],
        opening: { characterId: 'landlord', text: 'Sit down. You know why you are here.' },
        reveal: { mood: true, opinions: false, traits: true },
        maxTurns: 12,
      },
    },
  },
  startDialogue: { summary: 'Starts a dialogue from a scenario.', example: { requestId: 'q1', roomId: room, scenarioId: 'rent-talk' } },
  takeDialogueTurn: {
    summary: 'The player turn: a free line or one of the offered options.',
    example: { requestId: 'q1', roomId: room, dialogueId: roundId, clientTurnId: 't-1', text: 'I have paid on time for six years.', optionId: 'o1' },
  },
  endDialogue: { summary: 'Ends the dialogue; its outcome follows.', example: { requestId: 'q1', roomId: room, dialogueId: roundId } },
  getDialogue: { summary: "The room's current or a given dialogue, with its turns.", example: { requestId: 'q1', roomId: room, dialogueId: roundId } },
  ping: { summary: 'Keeps the connection alive; answered without a table read.', example: { requestId: 'q1' } },
};
