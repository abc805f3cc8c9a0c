import { DocumentUnreadableError, type DocumentIndexer, type DocumentSearch } from '../domain/knowledge/indexing';

/**
 * The documents' index: parsing, chunking, embedding and search. Until the
 * index is built, every document fails with a reason that says so, and a
 * search finds nothing; removing a document's chunks has nothing to remove.
 */
export const documentIndexer = (): DocumentIndexer => ({
  index: async () => {
    throw new DocumentUnreadableError('indexing is not available');
  },
  remove: async () => undefined,
});

export const documentSearch = (): DocumentSearch => ({ search: async () => [] });
