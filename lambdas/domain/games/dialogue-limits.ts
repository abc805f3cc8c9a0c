/**
 * The bounds of guided dialogues, without the schemas that use them
 * (dialogue.ts): the browser client imports these, and must not bundle a
 * schema library to know them.
 */

/** A character's mood and each opinion run from -5 (hostile) to 5 (warm). */
export const STATE_MIN = -5;
export const STATE_MAX = 5;
/** Response options offered after each turn: at least, at most. */
export const OPTIONS = { min: 2, max: 4 } as const;
/** The longest free turn a player writes, in characters. */
export const DIALOGUE_TURN_MAX = 1000;
/** A scenario's size as uploaded, in bytes of JSON: it travels in one frame (32 KB). */
export const SCENARIO_MAX_BYTES = 24_000;
