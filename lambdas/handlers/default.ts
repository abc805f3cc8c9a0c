import { createActionHandler } from '../shared/ws-action';

/**
 * The $default route: API Gateway sends here every frame whose `action`
 * matches no route, including frames that are not JSON, and answers each
 * with a MALFORMED_JSON or UNKNOWN_ACTION error frame. It also serves `ping`,
 * the clients' heartbeat: the lightest function, with no table to read, so
 * keeping a socket alive costs one invocation and no DynamoDB request.
 */
export const handler = createActionHandler({
  ping: async () => ({}),
});
