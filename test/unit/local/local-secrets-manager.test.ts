import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { localSecretsManager } from '../../../scripts/local/secrets/local-secrets-manager';

describe('the local Secrets Manager', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (dataDir: string) => {
    const service = await localSecretsManager().start({ dataDir, region: 'eu-west-1', onServerError: () => undefined });
    const client = new SecretsManagerClient({
      endpoint: service.environment['AWS_ENDPOINT_URL_SECRETS_MANAGER'] as string,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const read = async (SecretId: string) => (await client.send(new GetSecretValueCommand({ SecretId }))).SecretString;
    return { service, client, read };
  };

  it('answers GetSecretValue with one generated value per secret, the same on every read and after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const a = await first.read('GuestTokensSecret');
    const again = await first.read('GuestTokensSecret');
    const other = await first.read('AnotherSecret');
    first.client.destroy();
    await first.service.stop();

    const second = await start(dataDir);
    const afterRestart = await second.read('GuestTokensSecret');
    second.client.destroy();
    await second.service.stop();

    expect(a).toMatch(/^[\w-]{64}$/);
    expect(again).toBe(a);
    expect(other).not.toBe(a);
    expect(afterRestart).toBe(a);
    expect(Object.keys(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as object).sort()).toEqual(['AnotherSecret', 'GuestTokensSecret']);
  });
});
