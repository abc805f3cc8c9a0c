/**
 * Chooses between a language's singular and plural by Intl.PluralRules, so
 * each catalogue says "1 room" and "2 rooms" in its own grammar. Two forms
 * suffice for English and German; a language with more adds its own.
 */
export function plural(locale: string): (count: number, one: string, other: string) => string {
  const rules = new Intl.PluralRules(locale);
  return (count, one, other) => (rules.select(count) === 'one' ? one : other);
}
