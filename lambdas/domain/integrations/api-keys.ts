import type { Identity } from '../types';

/**
 * What an API key may do in its one room: read its history (`read`) and/or
 * post messages to it (`post`).
 */
export const API_KEY_SCOPES = ['read', 'post'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Every API key starts with this, which tells it apart from a user's ID token (a JWT starts with `ey`). */
export const API_KEY_PREFIX = 'prk_';

/** A verified API key, as the edge hands it to a route: the one room it reaches and what it may do there. */
export interface ApiKeyPrincipal {
  readonly roomId: string;
  readonly keyId: string;
  /** The name its owner gave it; messages it posts show it as their sender's name. */
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Requests per minute it may make. */
  readonly ratePerMinute: number;
  /** Requests per UTC day it may make; absent: no quota. */
  readonly dailyQuota?: number;
}

/** Whether `token` (what follows `Bearer `) is an API key rather than an ID token. */
export const isApiKeyToken = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

/** Who calls the HTTP API: a signed-in user (their ID token) or an API key of one room. */
export type HttpCaller =
  | { readonly kind: 'user'; readonly identity: Identity }
  | { readonly kind: 'key'; readonly key: ApiKeyPrincipal };
