import { SmokeError } from './smoke-client';

/** What the smoke test needs from a deployment: where to connect, and the user pool that issues tokens. */
export interface DeployedParley {
  readonly stage: string;
  readonly region: string;
  readonly webSocketUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

const STACK_NAME = /^Parley-([a-z][a-z0-9-]*)-(Stateful|Realtime|Web)$/;

/**
 * Reads the outputs `cdk deploy --all --outputs-file <file>` wrote
 * (`{ "<stack>": { "<output>": "<value>" } }`): `WebSocketUrl` from the
 * realtime stack, `UserPoolId` and `UserPoolClientId` from the stateful
 * one. With several stages in the file, `stage` picks one.
 */
export function readDeployedParley(outputs: unknown, stage?: string): DeployedParley {
  if (typeof outputs !== 'object' || outputs === null) throw new SmokeError('The outputs file holds no stacks.');
  const stacks = outputs as Record<string, Record<string, unknown> | undefined>;
  const stages = [...new Set(Object.keys(stacks).flatMap((name) => STACK_NAME.exec(name)?.[1] ?? []))];
  const chosen = stage ?? (stages.length === 1 ? stages[0] : undefined);
  if (chosen === undefined) {
    throw new SmokeError(
      stages.length === 0
        ? 'The outputs file names no Parley stack (Parley-<stage>-Realtime); was it written by `cdk deploy --all --outputs-file`?'
        : `The outputs file holds the stages ${stages.join(', ')}: choose one with --stage.`,
    );
  }
  const output = (stack: string, key: string): string => {
    const value = stacks[`Parley-${chosen}-${stack}`]?.[key];
    if (typeof value !== 'string' || value === '') {
      throw new SmokeError(`The outputs file has no ${key} for Parley-${chosen}-${stack}; deploy every stack (cdk deploy --all).`);
    }
    return value;
  };
  const userPoolId = output('Stateful', 'UserPoolId');
  const region = /^([a-z]{2}(?:-[a-z]+)+-\d)_/.exec(userPoolId)?.[1];
  if (region === undefined) throw new SmokeError(`The user pool id ${userPoolId} names no region.`);
  return {
    stage: chosen,
    region,
    webSocketUrl: output('Realtime', 'WebSocketUrl'),
    userPoolId,
    userPoolClientId: output('Stateful', 'UserPoolClientId'),
  };
}
