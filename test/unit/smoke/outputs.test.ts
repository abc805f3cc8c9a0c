import { describe, expect, it } from 'vitest';
import { readDeployedParley } from '../../../scripts/smoke/outputs';

const stage = (name: string) => ({
  [`Parley-${name}-Stateful`]: { UserPoolId: 'eu-west-1_AbC123', UserPoolClientId: `client-${name}` },
  [`Parley-${name}-Realtime`]: {
    WebSocketUrl: `wss://abc.execute-api.eu-west-1.amazonaws.com/${name}`,
    ManagementUrl: `https://abc.execute-api.eu-west-1.amazonaws.com/${name}`,
  },
  [`Parley-${name}-Web`]: {},
});

describe('readDeployedParley', () => {
  it("reads the WebSocket URL and the user pool from cdk deploy's outputs file", () => {
    expect(readDeployedParley(stage('prod'))).toEqual({
      stage: 'prod',
      region: 'eu-west-1',
      webSocketUrl: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
      userPoolId: 'eu-west-1_AbC123',
      userPoolClientId: 'client-prod',
    });
  });

  it('asks for a stage when the file holds several, and takes the one named', () => {
    const outputs = { ...stage('prod'), ...stage('dev') };

    expect(() => readDeployedParley(outputs)).toThrow(/stages prod, dev: choose one with --stage/);
    expect(readDeployedParley(outputs, 'dev').userPoolClientId).toBe('client-dev');
  });

  it('names the missing output', () => {
    const { ['Parley-prod-Realtime']: _realtime, ...statefulOnly } = stage('prod');

    expect(() => readDeployedParley(statefulOnly)).toThrow(/no WebSocketUrl for Parley-prod-Realtime/);
    expect(() => readDeployedParley({ Other: {} })).toThrow(/names no Parley stack/);
  });
});
