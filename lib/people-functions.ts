import { ROOMS_TABLE } from '../lambdas/adapters/dynamodb/schema';
import { PEOPLE_ENV } from '../lambdas/wiring/env';
import type { ParleyConfig } from './config';
import type { ParleyFunction } from './constructs/parley-function';
import type { FunctionSpec } from './function-spec';

const { byUserIndex, nameIndex } = ROOMS_TABLE;

/** How long invitations last, for the functions that make or check them. */
export const bindInvitationDays = (fn: ParleyFunction, config: ParleyConfig): void => {
  fn.setEnvironment({ [PEOPLE_ENV.invitationDays]: config.invitationDays });
};

/** People and the invitations addressed to them (profiles live in the rooms table). */
export const PEOPLE_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'People',
    handlerFile: 'people',
    description: 'Profiles, finding people by name, and invitations',
    routes: [
      'whoami',
      'findUsers',
      'listInvitations',
      'listRoomInvitations',
      'acceptInvitation',
      'declineInvitation',
      'revokeInvitation',
    ],
    bind: (fn, { data, api, stage, config }) => {
      fn.bindRoomsTable(data.roomsTable, {
        // GetItem/PutItem: profiles, invitations, the join an acceptance makes (a transaction of a
        // Put and a Delete); DeleteItem: declined and withdrawn invitations; Query: room members
        // (search limited to shared rooms).
        actions: ['GetItem', 'PutItem', 'DeleteItem', 'Query'],
        // byUser: the caller's invitations and rooms; byName: people by name.
        queryIndexes: [byUserIndex.name, nameIndex.name],
      });
      fn.bindConnectionsTable(data.connectionsTable, {
        actions: ['GetItem', 'PutItem', 'DeleteItem', 'UpdateItem', 'Query', 'BatchWriteItem'],
      });
      // Accepted, declined and withdrawn invitations (and the joins) go to the audit trail.
      fn.bindAuditTable(data.auditTable, { actions: ['PutItem'] });
      fn.bindManagementApi(api, stage);
      fn.setEnvironment({ [PEOPLE_ENV.peopleSearch]: config.peopleSearch });
      bindInvitationDays(fn, config);
    },
  },
];
