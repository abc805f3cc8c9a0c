import { createActionHandler } from '../shared/ws-action';
import { deleteDocument } from '../use-cases/knowledge/delete-document';
import { getDocumentPassage } from '../use-cases/knowledge/get-document-passage';
import { listDocuments } from '../use-cases/knowledge/list-documents';
import { requestDocumentUpload } from '../use-cases/knowledge/request-document-upload';
import { actionRateLimiter } from '../wiring/chat';
import { documentActionDeps } from '../wiring/documents';

const deps = documentActionDeps();

/** Room documents: owners and moderators upload and delete; members list them with their status and open cited passages. */
export const handler = createActionHandler(
  {
    requestDocumentUpload: (identity, request) => requestDocumentUpload(deps, identity, request),
    listDocuments: (identity, request) => listDocuments(deps, identity, request),
    deleteDocument: (identity, request) => deleteDocument(deps, identity, request),
    getDocumentPassage: (identity, request) => getDocumentPassage(deps, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
