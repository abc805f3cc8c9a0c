import * as z from 'zod/mini';
import { isBlank, isWellFormed } from './text';

/**
 * The string fields of the wire protocol, shared by the chat core's requests
 * (protocol.ts) and each feature's (agents, moderation, retention), so every
 * string a client sends passes the same rules (docs/protocol.md, "Input
 * rules"). Fields held to an ASCII pattern (message ids, days, handles,
 * model ids) are well-formed by their pattern already.
 */

/** Refuses unpaired UTF-16 surrogates, which UTF-8 storage would turn into U+FFFD. */
export const wellFormed = () =>
  z.refine<string>(isWellFormed, { error: 'must be well-formed Unicode (it holds an unpaired surrogate)' });

/** Refuses text with nothing visible: empty, whitespace or invisible characters only. */
export const visible = () => z.refine<string>((value) => !isBlank(value), { error: 'has nothing visible' });

/** Any string a client sends: well-formed Unicode. */
export const wireString = () => z.string().check(wellFormed());

/** A trimmed string of `min` to `max` characters. */
export const boundedString = (min: number, max: number) =>
  wireString().check(z.trim(), z.minLength(min), z.maxLength(max));

/** A trimmed name or text people read, with something visible, at most `max` characters. */
export const visibleString = (max: number) => wireString().check(z.trim(), visible(), z.maxLength(max));

/** Room ids, user ids. */
export const id = boundedString(1, 128);

/** A message's id (time-sortable, Crockford base 32; see ids.ts). */
export const messageId = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a message id'));

/** Echoed in the answer to a request. */
export const requestId = z.optional(wireString().check(z.maxLength(128)));

/** An opaque page cursor that Parley handed out, at most `max` characters. */
export const pageCursor = (max: number) => z.optional(wireString().check(z.maxLength(max)));
