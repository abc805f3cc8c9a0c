/**
 * What a string people send must be before Parley keeps it: well-formed
 * Unicode, and (for text and names) something a reader can see. The wire
 * protocol's fields apply these through `protocol-fields.ts`; the web client
 * shares this module, so it sticks to regular expressions every supported
 * browser runs (`u` flag, no `String.prototype.isWellFormed`).
 */

/**
 * A UTF-16 surrogate standing alone. With the `u` flag a paired surrogate is
 * read as the one code point it encodes, so only unpaired halves match.
 * They cannot be stored as UTF-8: DynamoDB and every encoder turn each into
 * U+FFFD, so two ids differing only there would become the same id.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Characters that show nothing on their own: whitespace (JavaScript's and
 * Unicode's `White_Space`) and Unicode's default-ignorable code points:
 * zero-width space, non-joiner and joiner (U+200B–U+200D), word joiner and
 * invisible operators (U+2060–U+2064), the byte order mark (U+FEFF), the soft
 * hyphen (U+00AD), variation selectors, bidirectional controls, tag
 * characters and the Hangul fillers.
 */
const INVISIBLE_ONLY = /^[\s\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

/**
 * The largest message text Parley accepts unless configured otherwise, in
 * UTF-8 bytes (an API Gateway frame is 32 KB). The deployment's value
 * reaches the web client in its config.json.
 */
export const DEFAULT_MAX_TEXT_BYTES = 4096;

/** The most a deployment may configure as its largest message text, in UTF-8 bytes: a frame must still fit. */
export const MAX_TEXT_BYTES_CEILING = 30_000;

/** True when `text` holds no unpaired surrogate, so it survives UTF-8 unchanged. */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * True when `text` has nothing visible: empty, whitespace or invisible
 * characters only. Text with anything visible is not blank, joiners and
 * selectors included (`👨‍👩‍👧`, `❤️`).
 */
export const isBlank = (text: string): boolean => INVISIBLE_ONLY.test(text);
