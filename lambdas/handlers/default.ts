import { createActionHandler } from '../shared/ws-action';

/**
 * The $default route: API Gateway sends here every frame whose `action`
 * matches no route, including frames that are not JSON. With no actions of
 * its own, it answers each with a MALFORMED_JSON or UNKNOWN_ACTION error frame.
 */
export const handler = createActionHandler({});
