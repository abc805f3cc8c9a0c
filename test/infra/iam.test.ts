import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, allStatements, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';
import { MEMORY_FUNCTIONS } from '../../lib/memory-functions';
import { AGENT_FUNCTIONS } from '../../lib/agent-functions';
import { MODERATION_FUNCTIONS } from '../../lib/moderation-functions';
import { RETENTION_FUNCTIONS } from '../../lib/retention-functions';
import { ROOM_PURGE_FUNCTIONS } from '../../lib/room-purge-functions';
import { DOCUMENT_FUNCTIONS } from '../../lib/document-functions';
import { WEBHOOK_FUNCTIONS } from '../../lib/webhook-functions';
import { GAME_FUNCTIONS } from '../../lib/game-functions';
import { GUEST_FUNCTIONS } from '../../lib/guest-functions';
import { HTTP_API_FUNCTIONS } from '../../lib/http-api-functions';
import { SPEC_FUNCTIONS } from '../../lib/spec-functions';
import { EVENT_FUNCTIONS } from '../../lib/event-functions';

type TableName = 'rooms' | 'messages' | 'connections' | 'moderation' | 'audit';

/** What each function may do to each table (and index), straight from the design. */
const EXPECTED_DYNAMODB_ACCESS: Record<string, Record<string, string[]>> = {
  Authorizer: {},
  Connect: {
    // The user's profile, created on their first connection; a guest's membership
    // (Put with the Delete of any invitation, in one transaction).
    rooms: ['DeleteItem', 'GetItem', 'PutItem'],
    'rooms/index/byUser': ['Query'],
    // UpdateItem: the presence count; Query and DeleteItem: telling the user's rooms, and a gone connection.
    connections: ['BatchWriteItem', 'DeleteItem', 'PutItem', 'Query', 'UpdateItem'],
    // A guest's arrival, appended to the audit trail.
    audit: ['PutItem'],
  },
  Disconnect: {
    // The user's rooms, to tell them the user went offline.
    'rooms/index/byUser': ['Query'],
    connections: ['BatchWriteItem', 'DeleteItem', 'GetItem', 'Query', 'UpdateItem'],
  },
  DefaultRoute: {},
  Rooms: {
    // UpdateItem: a member's display name (updateProfile).
    rooms: ['ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    'rooms/index/byUser': ['Query'],
    'rooms/index/publicRooms': ['Query'],
    // BatchGetItem: the presence of a page of members (listMembers).
    connections: ['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    // Membership and role changes, appended to the audit trail.
    audit: ['PutItem'],
  },
  RoomAdmin: {
    // Settings and their copies on memberships, bans, and a deleted room's items (BatchWriteItem).
    rooms: ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    'rooms/index/byName': ['Query'],
    // A preview's recent messages, read only.
    messages: ['Query'],
    connections: ['BatchWriteItem', 'DeleteItem', 'GetItem', 'Query', 'UpdateItem'],
    audit: ['PutItem'],
  },
  SendMessage: {
    // Membership and moderation settings, read together (BatchGetItem) or apart for an edit; the room's agents.
    rooms: ['BatchGetItem', 'GetItem', 'Query'],
    // UpdateItem: a sender's edit of their message.
    messages: ['ConditionCheckItem', 'GetItem', 'PutItem', 'UpdateItem'],
    // The original of a redacted message, or an edited one's previous text, kept for moderators.
    moderation: ['PutItem'],
    // Edits, appended to the audit trail.
    audit: ['PutItem'],
    connections: ['BatchWriteItem', 'DeleteItem', 'GetItem', 'Query', 'UpdateItem'],
  },
  GetHistory: {
    rooms: ['GetItem'],
    messages: ['Query'],
  },
  People: {
    // Profiles and invitations; a join (accepting) is a Put and a Delete; room members for shared-room search.
    rooms: ['DeleteItem', 'GetItem', 'PutItem', 'Query'],
    'rooms/index/byUser': ['Query'],
    'rooms/index/byName': ['Query'],
    connections: ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    audit: ['PutItem'],
  },
  Presence: {
    // Membership; read marks (UpdateItem moves one, BatchGetItem reads a page of them).
    rooms: ['BatchGetItem', 'GetItem', 'UpdateItem'],
    // The typing limit (UpdateItem), who to tell (Query), a gone connection (DeleteItem, BatchWriteItem).
    connections: ['BatchWriteItem', 'DeleteItem', 'Query', 'UpdateItem'],
  },
  FanOutWorker: {
    // A connection found gone, removed with its subscriptions.
    connections: ['BatchWriteItem', 'DeleteItem'],
  },
};

const POSTING_FUNCTIONS = ['Connect', 'Disconnect', 'Rooms', 'RoomAdmin', 'SendMessage', 'People', 'Presence', 'FanOutWorker'];
const WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].map((a) => `dynamodb:${a}`);

describe('function permissions', () => {
  let parley: SynthesizedParley;
  let tableIds: Record<TableName, string>;

  /** Names a statement's resource after the table (and index) it points at. */
  const target = (resource: unknown): string => {
    const text = JSON.stringify(resource);
    const table = (Object.keys(tableIds) as TableName[]).find((name) => text.includes(tableIds[name]));
    if (table === undefined) return text;
    const index = /\/index\/([A-Za-z0-9_.-]+)/.exec(text);
    return index ? `${table}/index/${index[1]}` : table;
  };

  const dynamoAccessOf = (functionId: string): Record<string, string[]> => {
    const access: Record<string, Set<string>> = {};
    for (const statement of statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))) {
      const actions = actionsOf(statement).filter((a) => a.startsWith('dynamodb:'));
      if (actions.length === 0) continue;
      for (const resource of resourcesOf(statement)) {
        const key = target(resource);
        access[key] ??= new Set();
        for (const action of actions) access[key].add(action.replace('dynamodb:', ''));
      }
    }
    return Object.fromEntries(Object.entries(access).map(([key, actions]) => [key, [...actions].sort()]));
  };

  beforeAll(() => {
    parley = synthParley();
    const { data } = parley.statefulStack;
    tableIds = {
      rooms: parley.tableLogicalId(data.roomsTable),
      messages: parley.tableLogicalId(data.messagesTable),
      connections: parley.tableLogicalId(data.connectionsTable),
      moderation: parley.tableLogicalId(data.moderationTable),
      audit: parley.tableLogicalId(data.auditTable),
    };
  });

  it.each(Object.entries(EXPECTED_DYNAMODB_ACCESS))('grants %s exactly its DynamoDB actions', (id, expected) => {
    const access = dynamoAccessOf(id);

    expect(access).toEqual(expected);
  });

  it('lets GetHistory query messages and write nothing', () => {
    const statements = statementsOfFunction(parley.realtime, parley.functionLogicalId('GetHistory'));

    const actions = statements.flatMap(actionsOf);
    expect(dynamoAccessOf('GetHistory')['messages']).toEqual(['Query']);
    expect(actions.filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(actions).not.toContain('kms:Encrypt');
    expect(actions).not.toContain('execute-api:ManageConnections');
  });

  it('grants execute-api:ManageConnections only to the functions that post, on POST @connections of the stage', () => {
    const posting = Object.keys(EXPECTED_DYNAMODB_ACCESS)
      .filter((id) =>
        statementsOfFunction(parley.realtime, parley.functionLogicalId(id)).some((s) =>
          actionsOf(s).includes('execute-api:ManageConnections'),
        ),
      );
    const manageStatements = allStatements(parley.realtime).filter((s) =>
      actionsOf(s).includes('execute-api:ManageConnections'),
    );

    expect(posting.sort()).toEqual([...POSTING_FUNCTIONS].sort());
    for (const statement of manageStatements) {
      expect(actionsOf(statement)).toEqual(['execute-api:ManageConnections']);
      for (const resource of resourcesOf(statement)) {
        const parts = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        expect(parts.at(-1)).toBe('/prod/POST/@connections/*');
      }
    }
  });

  it('never grants dynamodb:* or Scan', () => {
    const actions = [...allStatements(parley.realtime), ...allStatements(parley.stateful)].flatMap(actionsOf);

    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('dynamodb:') && (a.includes('*') || a.includes('Scan')))).toEqual([]);
  });

  it('grants Resource "*" only for X-Ray', () => {
    // Stream consumers also list streams, an action with no resource-level permission; the role's
    // one policy may hold it in the same statement as X-Ray's.
    const wildcard = allStatements(parley.realtime)
      .filter((s) => resourcesOf(s).includes('*'))
      .map((s) => actionsOf(s).filter((a) => a !== 'dynamodb:ListStreams'))
      .filter((actions) => actions.length > 0);

    expect(wildcard.length).toBe(EXPECTED_FUNCTION_COUNT);
    for (const actions of wildcard) {
      expect(actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it('grants the content key to the functions that touch rooms or messages, with encrypt only for writers', () => {
    const kmsOf = (id: string) =>
      statementsOfFunction(parley.realtime, parley.functionLogicalId(id))
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kms:'))
        .sort();

    expect(kmsOf('GetHistory')).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    // Connect writes a new user's profile.
    expect(kmsOf('Connect')).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(kmsOf('SendMessage')).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(kmsOf('Disconnect')).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    expect(kmsOf('Presence')).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
  });

  it('attaches no AWS managed policy to any function role', () => {
    const roles = parley.realtime.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } },
    });

    expect(Object.keys(roles)).toHaveLength(EXPECTED_FUNCTION_COUNT);
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

// Room memory's functions are checked in memory.test.ts, moderation's in moderation.test.ts,
// the agents' in agents.test.ts, retention's in retention.test.ts, the room purge's in room-purge.test.ts,
// documents' in documents.test.ts, the HTTP API's in http-api.test.ts, the specifications' in specs.test.ts,
// domain events' in events.test.ts, webhooks' in webhooks.test.ts,
// guests' in guests.test.ts, the games' in games.test.ts.
const EXPECTED_FUNCTION_COUNT =
  Object.keys(EXPECTED_DYNAMODB_ACCESS).length +
  MEMORY_FUNCTIONS.length +
  MODERATION_FUNCTIONS.length +
  AGENT_FUNCTIONS.length +
  RETENTION_FUNCTIONS.length +
  ROOM_PURGE_FUNCTIONS.length +
  DOCUMENT_FUNCTIONS.length +
  HTTP_API_FUNCTIONS.length +
  SPEC_FUNCTIONS.length +
  EVENT_FUNCTIONS.length +
  WEBHOOK_FUNCTIONS.length +
  GUEST_FUNCTIONS.length +
  GAME_FUNCTIONS.length;
