/**
 * Display names: what a person is called in rooms. One rule for the names a
 * token carries and the names people choose with `updateProfile`.
 */

export const DISPLAY_NAME_MAX = 64;

// Control characters (C0, DEL, C1) and the invisible format characters that
// reorder or hide text (bidirectional overrides, zero-width joiners).
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const CONTROL_ALL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Why a chosen display name is refused, or undefined when it is acceptable (after trimming). */
export function displayNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'A display name cannot be empty.';
  if ([...trimmed].length > DISPLAY_NAME_MAX) return `A display name has at most ${DISPLAY_NAME_MAX} characters.`;
  if (CONTROL.test(trimmed)) return 'A display name cannot contain control or invisible characters.';
  return undefined;
}

/** A name from elsewhere (a token claim) made displayable: control characters dropped, trimmed, capped. */
export function cleanDisplayName(name: string): string {
  return [...name.replace(CONTROL_ALL, '').trim()].slice(0, DISPLAY_NAME_MAX).join('').trim();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value looks like a generated id (a UUID) rather than a name someone chose. */
export const isGeneratedId = (value: string): boolean => UUID.test(value.trim());

/**
 * The name shown for someone whose token names nobody: short, neutral and
 * still telling two such people apart (the last characters of their id).
 */
export const fallbackDisplayName = (userId: string): string =>
  `User ${userId.replace(/[^0-9a-z]/gi, '').slice(-6) || 'unknown'}`;
