/**
 * API Gateway's route selection for a client's text frame: the route
 * selection expression (`$request.body.action`, a path into the JSON body)
 * picks a route key, and `$default` takes whatever selects no route.
 * Route keys starting with `$` are API Gateway's own: a frame can never
 * select `$connect`, `$disconnect` or `$default` by name, so a frame saying
 * `{"action":"$disconnect"}` goes to `$default` like any unknown action.
 */

/** What a frame selected: the route to run, or none (API Gateway answers Forbidden). */
export interface RouteSelection<R> {
  readonly route: R | undefined;
  /** The route key for the log: the route's, or the selected value when nothing matched. */
  readonly logKey: string;
}

/**
 * Evaluates `$request.body.a.b` against a frame: the value at that path of
 * the parsed body, stringified when it is a number or boolean as API Gateway
 * does; undefined when the body is not JSON, the path is missing or the value
 * is an object, an array or null.
 */
export function evaluateSelectionExpression(expression: string, body: string): string | undefined {
  const match = /^\$request\.body\.(.+)$/.exec(expression);
  if (!match) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const part of (match[1] as string).split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Selects the route for a text frame: the selected key's route unless it is a `$` route, else `$default`. */
export function selectRoute<R>(routes: ReadonlyMap<string, R>, expression: string, body: string): RouteSelection<R> {
  const selected = evaluateSelectionExpression(expression, body);
  const custom = selected !== undefined && !selected.startsWith('$') ? routes.get(selected) : undefined;
  if (custom !== undefined) return { route: custom, logKey: selected as string };
  const fallback = routes.get('$default');
  if (fallback !== undefined) return { route: fallback, logKey: '$default' };
  return { route: undefined, logKey: selected ?? '$default' };
}
