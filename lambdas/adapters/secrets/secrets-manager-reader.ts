import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretReader } from '../../domain/agents/ports';

/** Secrets Manager behind the SecretReader port: the current version's string value. */
export class SecretsManagerReader implements SecretReader {
  constructor(private readonly client: SecretsManagerClient) {}

  async read(secretId: string): Promise<string> {
    const output = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (output.SecretString === undefined) throw new Error('The secret holds binary data, not a string.');
    return output.SecretString;
  }
}
