import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsManagerReader } from '../../../../lambdas/adapters/secrets/secrets-manager-reader';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

describe('SecretsManagerReader', () => {
  it('reads the current string value of the secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'sk-live' });

    const value = await new SecretsManagerReader(new SecretsManagerClient({})).read('parley/openai');

    expect(value).toBe('sk-live');
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'parley/openai' });
  });

  it('refuses a binary secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });

    await expect(new SecretsManagerReader(new SecretsManagerClient({})).read('parley/openai')).rejects.toThrow(/binary/);
  });
});
