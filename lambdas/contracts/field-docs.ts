/** What the fields many requests share mean (WebSocket actions, HTTP parameters), for the ones their schema leaves undescribed. */
export const FIELD_DOCS: Readonly<Record<string, string>> = {
  requestId: 'Any string of yours, echoed in the answer (ack or error) so you can match it.',
  roomId: 'The room.',
  userId: 'A person, by user id.',
  messageId: 'A message, by id (26 characters, Crockford base 32).',
  documentId: 'A document, by id.',
  cursor: 'The nextCursor of the previous page; absent for the first page.',
  limit: 'Items per page at most; a page also ends at its byte budget.',
  text: 'The message text; the byte limit is configurable.',
  clientMessageId: 'Your id for the message: sending it again with the same id stores it once.',
  query: 'A name prefix; case does not matter.',
};

/** The properties, each with its shared description when its schema has none. */
export const described = (properties: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => {
      const field = schema as Record<string, unknown>;
      const doc = FIELD_DOCS[name];
      return [name, doc === undefined || field['description'] !== undefined ? field : { description: doc, ...field }];
    }),
  );
