import { describe, expect, it } from 'vitest';
import { evaluateSelectionExpression, selectRoute } from '../../../scripts/local/gateway/route-selection';

const EXPRESSION = '$request.body.action';
const routes = new Map(['$connect', '$disconnect', '$default', 'sendMessage'].map((key) => [key, { key }]));

describe('selectRoute', () => {
  it('selects the route the action names', () => {
    expect(selectRoute(routes, EXPRESSION, '{"action":"sendMessage"}')).toEqual({
      route: { key: 'sendMessage' },
      logKey: 'sendMessage',
    });
  });

  it('sends a frame naming a $ route to $default, never to $connect or $disconnect', () => {
    for (const action of ['$connect', '$disconnect', '$default', '$anything']) {
      expect(selectRoute(routes, EXPRESSION, JSON.stringify({ action })).route, action).toEqual({ key: '$default' });
    }
  });

  it('sends unknown actions and frames that are not JSON to $default', () => {
    expect(selectRoute(routes, EXPRESSION, '{"action":"nope"}').route).toEqual({ key: '$default' });
    expect(selectRoute(routes, EXPRESSION, 'hello').route).toEqual({ key: '$default' });
  });

  it('selects nothing without $default, logging what the frame asked for', () => {
    const withoutDefault = new Map([['$disconnect', { key: '$disconnect' }]]);

    expect(selectRoute(withoutDefault, EXPRESSION, '{"action":"$disconnect"}')).toEqual({
      route: undefined,
      logKey: '$disconnect',
    });
    expect(selectRoute(withoutDefault, EXPRESSION, 'hello')).toEqual({ route: undefined, logKey: '$default' });
  });
});

describe('evaluateSelectionExpression', () => {
  it('follows a nested path', () => {
    expect(evaluateSelectionExpression('$request.body.meta.kind', '{"meta":{"kind":"ping"}}')).toBe('ping');
  });

  it('stringifies numbers and booleans as API Gateway does', () => {
    expect(evaluateSelectionExpression(EXPRESSION, '{"action":42}')).toBe('42');
    expect(evaluateSelectionExpression(EXPRESSION, '{"action":true}')).toBe('true');
  });

  it('selects nothing for objects, arrays, null, inherited names and other expressions', () => {
    expect(evaluateSelectionExpression(EXPRESSION, '{"action":{"a":1}}')).toBeUndefined();
    expect(evaluateSelectionExpression(EXPRESSION, '{"action":["a"]}')).toBeUndefined();
    expect(evaluateSelectionExpression(EXPRESSION, '{"action":null}')).toBeUndefined();
    expect(evaluateSelectionExpression('$request.body.toString', '{}')).toBeUndefined();
    expect(evaluateSelectionExpression('$request.header.action', '{"action":"x"}')).toBeUndefined();
  });
});
