import type { DocumentFrame, DocumentStatus, DocumentView } from '../../lambdas/domain/knowledge/documents';
import { MAX_DOCUMENT_BYTES } from '../../lambdas/domain/knowledge/documents';
import { KNOWLEDGE_CONTENT_TYPES, type KnowledgeContentType } from '../../lambdas/domain/knowledge/indexing';
import type { Transport } from './client';
import { DisconnectedError, RequestError } from './connection';
import { t } from './i18n';
import type { Outcome } from './room-tools';

/**
 * Room documents in the browser (docs/knowledge.md, "Documents"): listing a
 * room's documents, uploading one (Parley grants a presigned form, the file
 * goes straight to the documents bucket), replacing and deleting one, and
 * keeping the list current from the documentStatus and documentDeleted
 * frames. Parley stays the authority: the checks here only spare a request
 * that would be refused.
 */
export type { DocumentStatus, DocumentView, KnowledgeContentType };

/** What an upload needs of a chosen file (a `File` has it). */
export interface UploadFile extends Blob {
  readonly name: string;
}

/** The file's type by its name, for browsers that give none (`.md` often comes without one). */
const TYPE_BY_EXTENSION: Readonly<Record<string, KnowledgeContentType>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
};

/** The extensions the file input offers. */
export const DOCUMENT_ACCEPT = '.txt,.md,.html,.pdf,text/plain,text/markdown,text/html,application/pdf';

const isContentType = (value: string): value is KnowledgeContentType => (KNOWLEDGE_CONTENT_TYPES as readonly string[]).includes(value);

/** The document type of a file: its own type when Parley takes it, else by its extension; undefined for anything else. */
export function contentTypeOf(file: Pick<UploadFile, 'name' | 'type'>): KnowledgeContentType | undefined {
  const own = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (isContentType(own)) return own;
  const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
  return TYPE_BY_EXTENSION[extension];
}

/** Why a file cannot be uploaded, before anything is asked of Parley; undefined when it may be. */
export function uploadProblem(file: Pick<UploadFile, 'name' | 'type' | 'size'>): string | undefined {
  if (contentTypeOf(file) === undefined) return t().documents.wrongType;
  if (file.size === 0) return t().documents.empty;
  if (file.size > MAX_DOCUMENT_BYTES) return t().documents.tooLarge(MAX_DOCUMENT_BYTES / (1024 * 1024));
  return undefined;
}

/**
 * The list after a frame of `roomId`: a status changes the document's
 * version, status, reason and chunks; a deletion removes it. Undefined when
 * the frame names a document the list does not hold (another moderator's
 * upload): the list is then read again.
 */
export function applyDocumentFrame(documents: readonly DocumentView[], frame: DocumentFrame): DocumentView[] | undefined {
  if (frame.type === 'documentDeleted') return documents.filter((d) => d.documentId !== frame.documentId);
  const index = documents.findIndex((d) => d.documentId === frame.documentId);
  if (index === -1) return undefined;
  const { reason: _reason, chunks: _chunks, ...before } = documents[index]!;
  const next: DocumentView = {
    ...before,
    name: frame.name,
    version: frame.version,
    status: frame.status,
    ...(frame.reason !== undefined ? { reason: frame.reason } : {}),
    ...(frame.chunks !== undefined ? { chunks: frame.chunks } : {}),
    ...(frame.status === 'ready' ? { indexedVersion: frame.version } : {}),
  };
  return documents.map((d, i) => (i === index ? next : d));
}

/** What `requestDocumentUpload` answers. */
interface UploadGrant {
  readonly document: DocumentView;
  readonly upload: { readonly url: string; readonly fields: Readonly<Record<string, string>>; readonly expiresAt: string; readonly maxBytes: number };
}

/** The form S3 takes: every granted field, then the file, last. */
export function uploadForm(fields: Readonly<Record<string, string>>, file: Blob, name: string): FormData {
  const form = new FormData();
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
  form.append('file', file, name);
  return form;
}

export interface UploadOptions {
  /** Replace this document (its next version). */
  readonly documentId?: string;
  /** The one agent that may search it; absent, every agent of the room. */
  readonly agentId?: string;
}

/** Posts a form; the browser's fetch. */
export type PostForm = (url: string, form: FormData) => Promise<{ readonly ok: boolean; readonly status: number }>;

const reason = (error: unknown): string =>
  error instanceof RequestError || error instanceof DisconnectedError ? error.message : t().errors.somethingWrong;

export class DocumentsClient {
  constructor(
    private readonly transport: Transport,
    private readonly post: PostForm = (url, form) => fetch(url, { method: 'POST', body: form }),
  ) {}

  /** Every document of the room, page after page. */
  async list(roomId: string): Promise<Outcome<DocumentView[]>> {
    const documents: DocumentView[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.transport.request<{ documents: DocumentView[]; nextCursor?: string }>('listDocuments', {
          roomId,
          ...(cursor !== undefined ? { cursor } : {}),
        });
        documents.push(...page.documents);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    } catch (error) {
      return { ok: false, error: reason(error) };
    }
    return { ok: true, value: documents };
  }

  /**
   * Uploads `file`: checks its type and size, asks Parley for an upload,
   * then posts the form to the bucket. The document answered is `pending`;
   * its statuses come as frames.
   */
  async upload(roomId: string, file: UploadFile, options: UploadOptions = {}): Promise<Outcome<DocumentView>> {
    const problem = uploadProblem(file);
    const contentType = contentTypeOf(file);
    if (problem !== undefined || contentType === undefined) return { ok: false, error: problem ?? t().documents.wrongType };
    let grant: UploadGrant;
    try {
      grant = await this.transport.request<UploadGrant>('requestDocumentUpload', {
        roomId,
        name: file.name,
        contentType,
        size: file.size,
        ...(options.documentId !== undefined ? { documentId: options.documentId } : {}),
        ...(options.agentId !== undefined ? { agentId: options.agentId } : {}),
      });
    } catch (error) {
      return { ok: false, error: reason(error) };
    }
    try {
      const answer = await this.post(grant.upload.url, uploadForm(grant.upload.fields, file, file.name));
      if (!answer.ok) return { ok: false, error: t().documents.uploadRefused(answer.status) };
    } catch {
      return { ok: false, error: t().documents.uploadFailed };
    }
    return { ok: true, value: grant.document };
  }

  async remove(roomId: string, documentId: string): Promise<Outcome<void>> {
    try {
      await this.transport.request('deleteDocument', { roomId, documentId });
      return { ok: true, value: undefined };
    } catch (error) {
      return { ok: false, error: reason(error) };
    }
  }
}
