import * as z from 'zod/mini';
import { id, requestId, wireString } from '../protocol-fields';

/**
 * The documents feature's part of the wire protocol (docs/protocol.md,
 * "Documents"). Names, types and sizes are checked by the use cases against
 * the rules of documents.ts; these bounds only stop absurd payloads.
 */
const documentId = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a document id'));

export const documentRequestSchemas = {
  /** Owners and moderators: a presigned POST for a new document, or the next version of `documentId`. */
  requestDocumentUpload: z.object({
    requestId,
    roomId: id,
    name: wireString().check(z.maxLength(1024)),
    contentType: wireString().check(z.maxLength(256)),
    size: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
    agentId: z.optional(wireString().check(z.minLength(1), z.maxLength(128))),
    documentId: z.optional(documentId),
  }),
  /** Members: the room's documents and their status, in id order; a page ends at its byte budget. */
  listDocuments: z.object({ requestId, roomId: id, cursor: z.optional(documentId) }),
  /** Owners and moderators: removes a document, its objects and its chunks. */
  deleteDocument: z.object({ requestId, roomId: id, documentId }),
  /** Members: the passage a reply's citation points at (its document's indexed version only). */
  getDocumentPassage: z.object({
    requestId,
    roomId: id,
    documentId,
    version: z.int().check(z.minimum(1), z.maximum(999_999)),
    chunk: z.int().check(z.minimum(0), z.maximum(999_999)),
  }),
} as const;

export type DocumentAction = keyof typeof documentRequestSchemas;
export type DocumentRequestOf<A extends DocumentAction> = z.output<(typeof documentRequestSchemas)[A]>;
