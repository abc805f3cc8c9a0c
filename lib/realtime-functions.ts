import { ROOMS_TABLE } from '../lambdas/adapters/dynamodb/schema';
import { ENV, MODERATION_ENV } from '../lambdas/wiring/env';
import { bindIdTokenVerification, type FunctionSpec } from './function-spec';
import { HTTP_API_FUNCTIONS } from './http-api-functions';
import { SPEC_FUNCTIONS } from './spec-functions';
import { AGENT_FUNCTIONS } from './agent-functions';
import { bindFanOutProducer, FAN_OUT_FUNCTIONS } from './fan-out-functions';
import { MODERATION_FUNCTIONS } from './moderation-functions';
import { MEMORY_FUNCTIONS } from './memory-functions';
import { bindInvitationDays, PEOPLE_FUNCTIONS } from './people-functions';
import { bindMessageRetention, RETENTION_FUNCTIONS } from './retention-functions';
import { ROOM_PURGE_FUNCTIONS } from './room-purge-functions';
import { DOCUMENT_FUNCTIONS } from './document-functions';
import { EVENT_FUNCTIONS } from './event-functions';
import { WEBHOOK_FUNCTIONS } from './webhook-functions';
import { bindGuestTokenVerification, GUEST_FUNCTIONS } from './guest-functions';
import { GAME_FUNCTIONS } from './game-functions';

const { byUserIndex, publicRoomsIndex, nameIndex } = ROOMS_TABLE;

/** The $connect authorizer: it serves no route, API Gateway calls it before $connect. */
export const AUTHORIZER: FunctionSpec = {
  id: 'Authorizer',
  handlerFile: 'authorizer',
  description: 'Verifies the JWT of a new WebSocket connection',
  routes: [],
  bind: (fn, context) => {
    bindIdTokenVerification(fn, context);
    // Guest tokens (docs/widget.md) are Parley's own, verified with its secret.
    bindGuestTokenVerification(fn, context);
  },
};

/**
 * Which function serves which route, and what each may touch. A new feature
 * adds a row (or routes to a row); the realtime stack builds the rest.
 * Every action route answers its caller through a two-way route response.
 */
export const ROUTED_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Connect',
    handlerFile: 'connect',
    description: 'Registers a connection, subscribes it to its user’s rooms and announces the user online',
    routes: ['$connect'],
    bind: (fn, { data, api, stage }) => {
      // GetItem/PutItem: the user's profile, created on their first connection;
      // a guest's membership (a Put with the Delete of any invitation, in one transaction).
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'PutItem', 'DeleteItem'], queryIndexes: [byUserIndex.name] });
      // A guest's arrival, appended to the audit trail.
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      // UpdateItem: the presence count; Query: the rooms' connections to tell;
      // DeleteItem: a connection found gone while telling them.
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['PutItem', 'BatchWriteItem', 'UpdateItem', 'Query', 'DeleteItem'],
      });
      fn.bindManagementApi(api, stage);
    },
  },
  {
    id: 'Disconnect',
    handlerFile: 'disconnect',
    description: 'Removes a connection and its room subscriptions and announces the user offline',
    routes: ['$disconnect'],
    bind: (fn, { data, api, stage }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: [], queryIndexes: [byUserIndex.name] });
      // UpdateItem: the presence count; Query: the rooms' connections to tell.
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['GetItem', 'BatchWriteItem', 'DeleteItem', 'UpdateItem', 'Query'],
      });
      fn.bindManagementApi(api, stage);
    },
  },
  {
    id: 'DefaultRoute',
    handlerFile: 'default',
    description: 'Answers heartbeats, unknown actions and malformed frames',
    // ping: the clients' heartbeat, answered with no table access.
    routes: ['$default', 'ping'],
    bind: () => {},
  },
  {
    id: 'Rooms',
    handlerFile: 'rooms',
    description: 'Room and membership actions, and display names',
    routes: [
      'createRoom',
      'listRooms',
      'joinRoom',
      'leaveRoom',
      'inviteMember',
      'setRole',
      'removeMember',
      'listMembers',
      'updateProfile',
    ],
    bind: (fn, { data, api, stage, config }) => {
      fn.bindRoomsTable(data.roomsTable, {
        // UpdateItem: a member's display name and the profile's (updateProfile).
        actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query'],
        queryIndexes: [byUserIndex.name, publicRoomsIndex.name],
      });
      // BatchGetItem: the presence of a page of members (listMembers).
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['GetItem', 'PutItem', 'DeleteItem', 'UpdateItem', 'Query', 'BatchWriteItem', 'BatchGetItem'],
      });
      // Membership and role changes go to the audit trail, which is append-only.
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindManagementApi(api, stage);
      // inviteMember sets each invitation's expiry.
      bindInvitationDays(fn, config);
    },
  },
  {
    id: 'RoomAdmin',
    handlerFile: 'room-admin',
    description: 'Room settings, deletion, ownership and bans, room previews and the searchable directory',
    routes: ['updateRoom', 'deleteRoom', 'transferOwnership', 'banMember', 'unbanMember', 'listBans', 'getRoom', 'searchRooms'],
    bind: (fn, { data, api, stage }) => {
      fn.bindRoomsTable(data.roomsTable, {
        // PutItem/UpdateItem: settings and their copies on memberships; BatchWriteItem: a deleted room's items.
        actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
        queryIndexes: [nameIndex.name],
      });
      // A preview's recent messages.
      fn.bindMessagesTable(data.messagesTable, { actions: ['Query'] });
      // Unsubscribing the connections of banned people and of a deleted room's members.
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['GetItem', 'DeleteItem', 'UpdateItem', 'Query', 'BatchWriteItem'],
      });
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindManagementApi(api, stage);
      // A deleted room's purge job: its messages and memory go out of the request.
      fn.bindRoomPurgeQueue(data.roomPurgeQueues.jobs);
    },
  },
  {
    id: 'SendMessage',
    handlerFile: 'send-message',
    description: 'Moderates a message or its sender’s edit, stores it and delivers it to the room',
    // editMessage lives here: an edit is moderated like a send, with the same grants and warm instances.
    routes: ['sendMessage', 'editMessage'],
    bind: (fn, context) => {
      const { data, api, stage, config } = context;
      // BatchGetItem: a sender's membership and the room's moderation settings, read together;
      // GetItem: the same one by one for an edit, and the room for a refusal; Query: the room's agents.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'BatchGetItem', 'Query'] });
      // UpdateItem: a sender's edit (one conditional write); GetItem: the message before it.
      fn.bindMessagesTable(data.messagesTable, { actions: ['PutItem', 'GetItem', 'UpdateItem', 'ConditionCheckItem'] });
      // A redacted message's original, or an edited one's previous text, kept for moderators (encrypted with the table's key).
      fn.bindModerationTable(data.moderationTable, { actions: ['PutItem'] });
      // Edits go to the audit trail, which is append-only.
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      if (config.moderationGuardrailId !== undefined) {
        fn.bindModerationGuardrail({ id: config.moderationGuardrailId, version: config.moderationGuardrailVersion });
      }
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({
        [ENV.maxTextBytes]: config.maxTextBytes,
        [ENV.editWindowSeconds]: config.editWindowSeconds,
        [ENV.rateLimitPerSecond]: config.rateLimitPerSecond,
        [ENV.rateLimitBurst]: config.rateLimitBurst,
        [MODERATION_ENV.originalsRetentionDays]: config.originalsRetentionDays,
      });
      bindMessageRetention(fn, config);
      // A large room's messages go to the fan-out workers.
      bindFanOutProducer(fn, context);
    },
  },
  {
    id: 'Presence',
    handlerFile: 'presence',
    description: 'Typing notices and members’ read state',
    routes: ['typing', 'markRead', 'getReadState'],
    bind: (fn, { data, api, stage }) => {
      // GetItem: membership (and the room, for the error); UpdateItem and
      // BatchGetItem: read marks, which live beside the memberships.
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem', 'UpdateItem', 'BatchGetItem'] });
      // UpdateItem: the typing limit; Query: who to tell; DeleteItem and
      // BatchWriteItem: a connection found gone.
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      });
      fn.bindManagementApi(api, stage);
    },
  },
  {
    id: 'GetHistory',
    handlerFile: 'get-history',
    description: 'Pages through a room’s messages',
    routes: ['getHistory'],
    bind: (fn, { data }) => {
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindMessagesTable(data.messagesTable, { actions: ['Query'] });
    },
  },
  ...FAN_OUT_FUNCTIONS,
  ...MEMORY_FUNCTIONS,
  ...AGENT_FUNCTIONS,
  ...MODERATION_FUNCTIONS,
  ...RETENTION_FUNCTIONS,
  ...ROOM_PURGE_FUNCTIONS,
  ...PEOPLE_FUNCTIONS,
  ...DOCUMENT_FUNCTIONS,
  ...WEBHOOK_FUNCTIONS,
  ...HTTP_API_FUNCTIONS,
  ...SPEC_FUNCTIONS,
  ...EVENT_FUNCTIONS,
  ...GUEST_FUNCTIONS,
  ...GAME_FUNCTIONS,
];
