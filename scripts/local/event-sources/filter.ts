/**
 * Lambda event filtering (the EventBridge pattern syntax Lambda accepts):
 * a record passes when it matches any of the mapping's patterns. For SQS,
 * a JSON `body` is matched as an object, as Lambda does.
 */
type Pattern = Record<string, unknown>;

const matchesRule = (rule: unknown, value: unknown, present: boolean): boolean => {
  if (rule === null || typeof rule !== 'object') {
    return present && (value === rule || (Array.isArray(value) && value.includes(rule)));
  }
  const r = rule as Record<string, unknown>;
  const values = Array.isArray(value) ? value : [value];
  if ('exists' in r) return r['exists'] === present;
  if (!present) return false;
  if ('prefix' in r) return values.some((v) => typeof v === 'string' && v.startsWith(String(r['prefix'])));
  if ('suffix' in r) return values.some((v) => typeof v === 'string' && v.endsWith(String(r['suffix'])));
  if ('equals-ignore-case' in r) {
    return values.some((v) => typeof v === 'string' && v.toLowerCase() === String(r['equals-ignore-case']).toLowerCase());
  }
  if ('anything-but' in r) {
    const but = r['anything-but'];
    if (but !== null && typeof but === 'object' && !Array.isArray(but)) {
      return !matchesRule(but, value, present);
    }
    const excluded = Array.isArray(but) ? but : [but];
    return values.every((v) => !excluded.includes(v));
  }
  if ('numeric' in r) {
    const ops = r['numeric'] as unknown[];
    return values.some((v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (Number.isNaN(n)) return false;
      for (let i = 0; i < ops.length; i += 2) {
        const op = ops[i];
        const bound = Number(ops[i + 1]);
        const ok =
          op === '=' ? n === bound : op === '<' ? n < bound : op === '<=' ? n <= bound : op === '>' ? n > bound : n >= bound;
        if (!ok) return false;
      }
      return true;
    });
  }
  return false;
};

const matchesObject = (pattern: Pattern, event: unknown): boolean =>
  Object.entries(pattern).every(([key, rule]) => {
    const present = event !== null && typeof event === 'object' && key in (event as Record<string, unknown>);
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) return rule.some((r) => matchesRule(r, value, present));
    if (rule !== null && typeof rule === 'object') return present && matchesObject(rule as Pattern, value);
    return matchesRule(rule, value, present);
  });

/** True when no patterns are set or the record matches one of them. */
export function matchesFilters(patterns: readonly unknown[], record: Record<string, unknown>): boolean {
  if (patterns.length === 0) return true;
  let subject: Record<string, unknown> = record;
  if (typeof record['body'] === 'string') {
    try {
      subject = { ...record, body: JSON.parse(record['body']) as unknown };
    } catch {
      // A body that is not JSON is matched as a plain string.
    }
  }
  return patterns.some((p) => matchesObject(p as Pattern, subject));
}
