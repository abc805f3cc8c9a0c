import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { guardRequests } from '../http-guard';
import { listen } from '../ports';
import type { LocalService } from '../runtime';

const JSON_11 = 'application/x-amz-json-1.1';

const answer = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': JSON_11 });
  res.end(JSON.stringify(body));
};

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * Secret values by secret id, made up on first read (64 random characters,
 * as the stacks ask Secrets Manager to generate) and kept in `file`, so a
 * restarted runtime keeps honouring the tokens it signed.
 */
function secretValues(file: string | undefined): (secretId: string) => string {
  let values: Record<string, string> = {};
  if (file !== undefined) {
    try {
      values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      values = {};
    }
  }
  return (secretId) => {
    const known = values[secretId];
    if (known !== undefined) return known;
    const value = randomBytes(48).toString('base64url');
    values = { ...values, [secretId]: value };
    if (file !== undefined) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
    }
    return value;
  };
}

/**
 * The local runtime's Secrets Manager: GetSecretValue, and nothing else, on
 * 127.0.0.1 (a free port, or PARLEY_SECRETS_PORT), for the secrets the stacks
 * generate (the guest token secret). Every function's SecretsManagerClient is
 * pointed at it through AWS_ENDPOINT_URL_SECRETS_MANAGER, so the functions
 * read a secret as they do in AWS, with no local-only branch. The values are
 * generated here and kept in the data folder (`secrets.json`), never shown.
 */
export function localSecretsManager(): LocalService {
  return {
    name: 'Secrets Manager',
    async start({ dataDir, onServerError }) {
      const valueOf = secretValues(join(dataDir, 'secrets.json'));
      const server = createServer();
      const handle = guardRequests<IncomingMessage, ServerResponse>(
        {
          server: 'Secrets Manager',
          port: () => {
            const address = server.address();
            return typeof address === 'object' && address ? address.port : 0;
          },
          onError: onServerError,
        },
        async (req, res) => {
          const target = req.headers['x-amz-target'];
          if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
            answer(res, 400, { __type: 'UnknownOperationException', message: `Only GetSecretValue is served locally, not ${String(target)}.` });
            return;
          }
          const { SecretId } = JSON.parse(await readBody(req)) as { SecretId?: unknown };
          if (typeof SecretId !== 'string' || SecretId === '') {
            answer(res, 400, { __type: 'InvalidParameterException', message: 'SecretId is required.' });
            return;
          }
          answer(res, 200, {
            ARN: SecretId.startsWith('arn:') ? SecretId : `arn:aws:secretsmanager:local:000000000000:secret:${SecretId}`,
            Name: SecretId,
            SecretString: valueOf(SecretId),
            VersionId: 'local',
            VersionStages: ['AWSCURRENT'],
            CreatedDate: 0,
          });
        },
      );
      server.on('request', handle);
      const port = await listen(server, Number(process.env['PARLEY_SECRETS_PORT'] ?? 0), 'Secrets Manager endpoint', 'PARLEY_SECRETS_PORT');
      const url = `http://127.0.0.1:${port}`;
      return {
        url,
        environment: { AWS_ENDPOINT_URL_SECRETS_MANAGER: url },
        stop: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            // The functions' SDK clients keep their connections alive.
            server.closeAllConnections();
          }),
      };
    },
  };
}
