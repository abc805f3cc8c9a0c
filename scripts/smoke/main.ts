import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signInWithPassword } from '../../web/src/auth/cognito';
import { loadIdentityProvider } from '../local/identity/identity-provider';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { sdkCognitoAdmin } from './cognito-admin';
import { readDeployedParley } from './outputs';
import { runSmoke, type SmokeReport, type StepResult } from './run-smoke';
import { SmokeError } from './smoke-client';
import { cognitoUsers, givenUsers, localUsers, type SmokeUsers } from './users';

export const USAGE = `Usage: npm run smoke -- <target> [options]

Targets (one):
  --outputs-file <file>   a deployment: the JSON \`cdk deploy --all --outputs-file <file>\` wrote;
                          creates two users in its user pool (AWS credentials allowed
                          cognito-idp:AdminCreateUser, AdminSetUserPassword, AdminDeleteUser)
                          unless --token-a and --token-b are given
  --url <wss://…>         any Parley WebSocket URL, with --token-a and --token-b
  --local                 the local runtime (npm start): tokens from its identity provider

Options:
  --stage <stage>         the stage to test when the outputs file holds several
  --token-a, --token-b    ID tokens of two existing users (or PARLEY_SMOKE_TOKEN_A / _B)
  --data <dir>            the local runtime's data folder (default PARLEY_DATA_DIR or .parley)
  --timeout <seconds>     how long each request or delivery may take (default 15)
  --agent-timeout <s>     how long the agent may take to answer (default 60)
  --accept-agent-notice   pass when the agent answers with a notice (e.g. no model access yet)
`;

export interface SmokeOutcome {
  readonly exitCode: number;
  readonly report?: SmokeReport;
}

interface Target {
  readonly description: string;
  readonly webSocketUrl: string;
  readonly users: SmokeUsers;
}

const seconds = (value: string | undefined, fallback: number, flag: string): number => {
  if (value === undefined) return fallback * 1000;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new SmokeError(`${flag} must be a positive number of seconds.`);
  return parsed * 1000;
};

async function resolveTarget(values: Record<string, string | boolean | undefined>, runId: string): Promise<Target> {
  const str = (key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const tokenA = str('token-a') ?? process.env['PARLEY_SMOKE_TOKEN_A'];
  const tokenB = str('token-b') ?? process.env['PARLEY_SMOKE_TOKEN_B'];
  const tokens = tokenA !== undefined && tokenB !== undefined ? ([tokenA, tokenB] as const) : undefined;
  const outputsFile = str('outputs-file');
  const url = str('url');
  const targets = [outputsFile !== undefined, url !== undefined && values['local'] !== true, values['local'] === true].filter(Boolean);
  if (targets.length !== 1) throw new SmokeError('Name one target: --outputs-file, --url or --local.');

  if (values['local'] === true) {
    const dataDir = resolve(str('data') ?? process.env['PARLEY_DATA_DIR'] ?? '.parley');
    const webSocketUrl = url ?? `ws://127.0.0.1:${process.env['PARLEY_WS_PORT'] ?? '3001'}`;
    const users = tokens ? givenUsers(tokens) : localUsers(await loadIdentityProvider(dataDir), runId);
    return { description: `the local runtime at ${webSocketUrl}`, webSocketUrl, users };
  }
  if (url !== undefined) {
    if (tokens === undefined) throw new SmokeError('--url needs --token-a and --token-b (ID tokens of two users).');
    return { description: url, webSocketUrl: url, users: givenUsers(tokens) };
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(readFileSync(outputsFile as string, 'utf8'));
  } catch (error) {
    throw new SmokeError(`Cannot read the outputs file ${outputsFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const deployed = readDeployedParley(outputs, str('stage'));
  const settings = { region: deployed.region, userPoolId: deployed.userPoolId, clientId: deployed.userPoolClientId };
  const users =
    tokens !== undefined
      ? givenUsers(tokens)
      : cognitoUsers({
          admin: sdkCognitoAdmin(new CognitoIdentityProviderClient({ region: deployed.region })),
          settings,
          signIn: (s, username, password) => signInWithPassword(s, username, password),
          runId,
        });
  return { description: `stage ${deployed.stage} in ${deployed.region} (${deployed.webSocketUrl})`, webSocketUrl: deployed.webSocketUrl, users };
}

const line = (step: StepResult): string =>
  `  ${step.ok ? 'ok  ' : 'FAIL'}  ${step.name.padEnd(22)} ${`${step.ms} ms`.padStart(9)}  ${step.detail}\n`;

/**
 * The smoke test's command line: resolves the target, runs the steps,
 * prints each with its latency, then what it cleaned up and left behind.
 * Resolves with the exit code (0: every step passed) and the report.
 */
export async function main(argv: readonly string[], out: { write(text: string): unknown }): Promise<SmokeOutcome> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        'outputs-file': { type: 'string' },
        url: { type: 'string' },
        local: { type: 'boolean' },
        stage: { type: 'string' },
        'token-a': { type: 'string' },
        'token-b': { type: 'string' },
        data: { type: 'string' },
        timeout: { type: 'string' },
        'agent-timeout': { type: 'string' },
        'accept-agent-notice': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    out.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  if (values['help'] === true) {
    out.write(USAGE);
    return { exitCode: 0 };
  }

  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  let target: Target;
  let stepTimeoutMs: number;
  let agentTimeoutMs: number;
  try {
    stepTimeoutMs = seconds(values['timeout'] as string | undefined, 15, '--timeout');
    agentTimeoutMs = seconds(values['agent-timeout'] as string | undefined, 60, '--agent-timeout');
    target = await resolveTarget(values, runId);
  } catch (error) {
    if (!(error instanceof SmokeError)) throw error;
    out.write(`${error.message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }

  out.write(`Parley smoke test ${runId} against ${target.description}\n`);
  let cleanupHeader = false;
  const report = await runSmoke({
    webSocketUrl: target.webSocketUrl,
    users: target.users,
    runId,
    stepTimeoutMs,
    agentTimeoutMs,
    acceptAgentNotice: values['accept-agent-notice'] === true,
    onStep: (step, phase) => {
      if (phase === 'cleanup' && !cleanupHeader) {
        cleanupHeader = true;
        out.write('Cleanup\n');
      }
      out.write(line(step));
    },
  });
  if (report.leftBehind.length > 0) {
    out.write(`Left behind\n${report.leftBehind.map((item) => `  - ${item}\n`).join('')}`);
  }
  if (report.failure !== undefined) {
    out.write(`FAILED at "${report.failure.name}": ${report.failure.detail}\n`);
    return { exitCode: 1, report };
  }
  const total = report.steps.reduce((sum, step) => sum + step.ms, 0);
  out.write(`PASSED: ${report.steps.length} steps in ${total} ms\n`);
  return { exitCode: 0, report };
}
