import { localBedrock } from './bedrock/local-bedrock';
import type { LocalService } from './runtime';
import { localSecretsManager } from './secrets/local-secrets-manager';

/**
 * Services the local runtime starts beside DynamoDB Local and fauxqs. Each
 * contributes environment variables to every function, typically the SDK's
 * endpoint setting for its service (e.g. AWS_ENDPOINT_URL_BEDROCK_RUNTIME for
 * a Bedrock-compatible endpoint), and is stopped with the runtime.
 * Add an entry here to run one more AWS service locally.
 */
export const LOCAL_SERVICES: readonly LocalService[] = [localBedrock(), localSecretsManager()];
