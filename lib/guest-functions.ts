import { GUEST_ENV } from '../lambdas/wiring/env';
import type { ParleyConfig } from './config';
import type { BindContext, FunctionSpec } from './function-spec';
import type { ParleyFunction } from './constructs/parley-function';

/** The `aud` of guest tokens: the stage they were issued for, so one stage's tokens open no other. */
export const guestTokenAudience = (config: ParleyConfig): string => `parley-${config.stage}`;

/** What verifying guest tokens needs: the authorizer's share of the guest token secret. */
export function bindGuestTokenVerification(fn: ParleyFunction, { data, config }: BindContext): void {
  fn.bindGuestTokens(data.guestTokenSecret, guestTokenAudience(config));
}

/**
 * Guests (docs/widget.md): the function that issues guest tokens,
 * `POST /v1/rooms/{roomId}/guest-tokens` on the HTTP API. It reads rooms,
 * spends the guest token rate limits (UpdateItem on the connections table,
 * where every GCRA state lives) and signs with the guest token secret, which
 * only it and the authorizer may read.
 */
export const GUEST_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'GuestTokens',
    handlerFile: 'guest-tokens',
    description: 'Issues short-lived guest tokens for rooms that let guests in',
    routes: [],
    // No credentials: a guest has none yet. CORS (any origin) is the HTTP API's own.
    httpRoutes: [{ method: 'POST', path: '/v1/rooms/{roomId}/guest-tokens' }],
    bind: (fn, context) => {
      const { data, stage, config } = context;
      fn.bindRoomsTable(data.roomsTable, { actions: ['GetItem'] });
      fn.bindConnectionsTable(data.connectionsTable, { actions: ['UpdateItem'] });
      bindGuestTokenVerification(fn, context);
      fn.setEnvironment({
        [GUEST_ENV.wsUrl]: stage.url,
        [GUEST_ENV.perIpPerSecond]: config.guestTokensPerIpPerSecond,
        [GUEST_ENV.perIpBurst]: config.guestTokensPerIpBurst,
        [GUEST_ENV.perRoomPerSecond]: config.guestTokensPerRoomPerSecond,
        [GUEST_ENV.perRoomBurst]: config.guestTokensPerRoomBurst,
      });
    },
  },
];
