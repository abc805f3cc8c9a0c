import * as z from 'zod/mini';

/** The version of the published contracts; raised when a request, route or frame changes incompatibly. */
export const CONTRACT_VERSION = '1.0.0';

/** A JSON Schema (draft 2020-12) object, as OpenAPI 3.1 and AsyncAPI 3 embed it. */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * The JSON Schema of a zod schema, for embedding in a specification: zod's
 * own conversion, without the `$schema` line (the enclosing document names
 * the dialect). `input` describes what a client may send (fields with a
 * default are optional); `output` what Parley sends.
 *
 * A construct JSON Schema cannot express (a transform, a custom type) makes
 * generation throw rather than publish a schema that says less than the
 * code: each such case must be decided where the schema is written.
 * Refinements (`z.refine`) and overwrites (`z.trim`) have no JSON form and
 * are left out by the conversion; docs/contracts.md lists what that loses.
 */
export function jsonSchemaOf(schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw', reused: 'inline' });
  const { $schema: _dialect, ...embedded } = converted as Record<string, unknown>;
  return embedded;
}

/** What every specification says about the rules a JSON Schema cannot carry. */
export const CONVERSION_GAPS =
  'Schemas are generated from the zod schemas the edge validates with. Some rules have no JSON Schema form and are ' +
  'checked by the edge only: every string must be well-formed Unicode (no unpaired surrogate); ' +
  'names and texts people read must hold something visible; message ids in markRead must be message ids; model ids ' +
  'must name a Bedrock model or inference profile; page sizes in query strings must be within the route\'s range. ' +
  'A request these schemas accept may still be refused for these ' +
  'rules, with the same validation error. Trimmed fields (names, topics, display names) are measured after trimming, ' +
  'so spaces around them do not count against maxLength.';
