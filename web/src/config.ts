import { DEFAULT_EDIT_WINDOW_SECONDS } from '../../lambdas/domain/message-edits';
import { DEFAULT_MAX_TEXT_BYTES } from '../../lambdas/domain/text';
import { t } from './i18n';

/**
 * The client's runtime configuration, served next to it as /config.json:
 * generated from the stack's outputs when deployed, and by the local
 * runtime when served by `npm start`. The same build runs in both places.
 */
export type AuthConfig =
  /** The local runtime's identity provider: pick a name, get a token. */
  | { readonly kind: 'local'; readonly tokenUrl: string }
  /** The stack's Cognito user pool and its public app client; `selfSignUp` false: invite-only, no sign-up offered. */
  | {
      readonly kind: 'cognito';
      readonly region: string;
      readonly userPoolId: string;
      readonly clientId: string;
      readonly selfSignUp: boolean;
    };

export interface RuntimeConfig {
  /** The WebSocket API stage URL, without a token. */
  readonly wsUrl: string;
  /** Largest message text Parley accepts, in UTF-8 bytes (the server's default when absent). */
  readonly maxTextBytes: number;
  /** How long after sending a message its sender may edit it, in seconds (absent: Parley's default). */
  readonly editWindowSeconds: number;
  readonly auth: AuthConfig;
  /**
   * What answers for every agent whatever model it names, when that is not
   * the model itself: the local runtime's "offline model" (or the local
   * OpenAI-compatible server). Absent when deployed: each agent's model answers.
   */
  readonly modelServedBy?: string;
  /** The HTTP API for machine clients (docs/http-api.md): the Integrations panel manages API keys through it. */
  readonly apiUrl?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(t().app.configInvalid(message));
    this.name = 'ConfigError';
  }
}

const text = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${name} is missing.`);
  return value;
};

/** Validates /config.json, naming the first field that is wrong. */
export function parseConfig(value: unknown): RuntimeConfig {
  if (typeof value !== 'object' || value === null) throw new ConfigError('not a JSON object.');
  const raw = value as Record<string, unknown>;
  const wsUrl = text(raw['wsUrl'], 'wsUrl');
  if (!/^wss?:\/\//.test(wsUrl)) throw new ConfigError('wsUrl must start with ws:// or wss://.');
  const maxTextBytes = raw['maxTextBytes'] ?? DEFAULT_MAX_TEXT_BYTES;
  if (typeof maxTextBytes !== 'number' || !Number.isInteger(maxTextBytes) || maxTextBytes < 1) {
    throw new ConfigError('maxTextBytes must be a positive integer.');
  }
  const editWindowSeconds = raw['editWindowSeconds'] ?? DEFAULT_EDIT_WINDOW_SECONDS;
  if (typeof editWindowSeconds !== 'number' || !Number.isInteger(editWindowSeconds) || editWindowSeconds < 0) {
    throw new ConfigError('editWindowSeconds must be a whole number of seconds, 0 or more.');
  }
  const servedBy = raw['modelServedBy'];
  if (servedBy !== undefined && (typeof servedBy !== 'string' || servedBy.trim() === '')) {
    throw new ConfigError('modelServedBy must be text.');
  }
  const modelServedBy = servedBy === undefined ? {} : { modelServedBy: servedBy };
  const rawApiUrl = raw['apiUrl'];
  if (rawApiUrl !== undefined && (typeof rawApiUrl !== 'string' || !/^https?:\/\//.test(rawApiUrl))) {
    throw new ConfigError('apiUrl must start with http:// or https://.');
  }
  // Kept with modelServedBy, the other optional field: both spread into either kind of configuration.
  Object.assign(modelServedBy, rawApiUrl === undefined ? {} : { apiUrl: rawApiUrl.replace(/\/$/, '') });
  const auth = (raw['auth'] ?? {}) as Record<string, unknown>;
  switch (auth['kind']) {
    case 'local':
      return { wsUrl, maxTextBytes, editWindowSeconds, ...modelServedBy, auth: { kind: 'local', tokenUrl: text(auth['tokenUrl'], 'auth.tokenUrl') } };
    case 'cognito': {
      const userPoolId = text(auth['userPoolId'], 'auth.userPoolId');
      if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) throw new ConfigError('auth.userPoolId is not a user pool id.');
      return {
        wsUrl,
        maxTextBytes,
        editWindowSeconds,
        ...modelServedBy,
        auth: {
          kind: 'cognito',
          region: text(auth['region'], 'auth.region'),
          userPoolId,
          clientId: text(auth['clientId'], 'auth.clientId'),
          // A configuration written before sign-up existed: the pool was invite-only.
          selfSignUp: auth['selfSignUp'] === true,
        },
      };
    }
    default:
      throw new ConfigError('auth.kind must be "local" or "cognito".');
  }
}
