import { describe, expect, it } from 'vitest';
import { createResolver, UnresolvableError } from '../../../scripts/local/intrinsics';

const resolver = (resources: Record<string, { ref: string; attributes: Record<string, string> }> = {}) =>
  createResolver({
    stackName: 'Parley-local-Realtime',
    template: { Resources: {}, Parameters: { Stage: { Default: 'local' } }, Conditions: { IsLocal: { 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] } } },
    region: 'us-east-1',
    accountId: '000000000000',
    resource: (id) => resources[id],
    importValue: (name) => (name === 'Stateful:TableName' ? 'Parley-local-Stateful-Messages' : undefined),
  });

describe('createResolver', () => {
  it('resolves the callback URL the way the stage builds it', () => {
    const resolve = resolver({ Api: { ref: 'abc123', attributes: {} } });

    const url = resolve({
      'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/local']],
    });

    expect(url).toBe('https://abc123.execute-api.us-east-1.amazonaws.com/local');
  });

  it('resolves GetAtt, Sub with attributes and variables, Select and Split', () => {
    const resolve = resolver({ Queue: { ref: 'http://q', attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q' } } });

    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:000000000000:q');
    expect(resolve({ 'Fn::Sub': 'arn is ${Queue.Arn} in ${AWS::Region}' })).toBe('arn is arn:aws:sqs:us-east-1:000000000000:q in us-east-1');
    expect(resolve({ 'Fn::Sub': ['${Name}-${!Literal}', { Name: { Ref: 'Stage' } }] })).toBe('local-${Literal}');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('b');
  });

  it('resolves imports from other stacks, conditions and AWS::NoValue', () => {
    const resolve = resolver();

    expect(resolve({ 'Fn::ImportValue': 'Stateful:TableName' })).toBe('Parley-local-Stateful-Messages');
    expect(resolve({ 'Fn::If': ['IsLocal', 'yes', 'no'] })).toBe('yes');
    expect(resolve({ A: 'kept', B: { Ref: 'AWS::NoValue' } })).toEqual({ A: 'kept' });
  });

  it('refuses what it cannot resolve instead of guessing', () => {
    const resolve = resolver();

    expect(() => resolve({ Ref: 'Missing' })).toThrow(UnresolvableError);
    expect(() => resolve({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow(UnresolvableError);
  });
});
