import { ParleyError } from '../errors';
import type { SenderType } from '../types';
import type { RememberedMessage } from './types';

/**
 * Moderation states whose text may be remembered. A redacted message is
 * remembered with its redacted text only; pending, quarantined and blocked
 * messages never are.
 */
export const REMEMBERED_MODERATION: readonly string[] = ['allowed', 'redacted'];

/** A change to a stored item, as the messages table's stream reports it (images unmarshalled). */
export interface StoredChange {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The stream record's sequence number: increasing for the changes of one item. */
  readonly sequence: string;
  readonly oldImage?: Readonly<Record<string, unknown>>;
  readonly newImage?: Readonly<Record<string, unknown>>;
}

/** What room memory does with a change. */
export type MemoryChange =
  | { readonly kind: 'remember'; readonly message: RememberedMessage; readonly sequence: string }
  | { readonly kind: 'forget'; readonly roomId: string; readonly messageId: string; readonly sequence: string }
  | { readonly kind: 'ignore' };

const SENDER_TYPES: readonly SenderType[] = ['human', 'agent', 'system'];

const isMessage = (image: Readonly<Record<string, unknown>> | undefined): image is Readonly<Record<string, unknown>> =>
  image?.['entity'] === 'message';

const isRememberable = (image: Readonly<Record<string, unknown>> | undefined): boolean =>
  isMessage(image) && REMEMBERED_MODERATION.includes(String(image['moderation']));

const field = (image: Readonly<Record<string, unknown>>, name: string): string => {
  const value = image[name];
  if (typeof value !== 'string' || value === '') {
    throw new ParleyError(`A message change has no "${name}"; it cannot be remembered.`);
  }
  return value;
};

const toRemembered = (image: Readonly<Record<string, unknown>>): RememberedMessage => {
  const senderType = field(image, 'senderType');
  if (!(SENDER_TYPES as readonly string[]).includes(senderType)) {
    throw new ParleyError('A message change has an unknown sender type.');
  }
  return {
    roomId: field(image, 'roomId'),
    messageId: field(image, 'messageId'),
    senderName: field(image, 'senderName'),
    senderType: senderType as SenderType,
    text: field(image, 'text'),
    createdAt: field(image, 'createdAt'),
  };
};

/**
 * Decides what memory does with a change of the messages table. It repeats,
 * in code, the rule the event source mapping's filter applies, so text that
 * is not moderated as visible is never remembered even if the filter were
 * loosened:
 * - a message that becomes visible (allowed or redacted) is remembered, with
 *   the text of its new image (the redacted text for a redacted message);
 * - a remembered message that stops being visible (quarantined, blocked) or
 *   is deleted (including by TTL) is forgotten;
 * - anything else is ignored.
 * A message image that lacks a required field throws: the record is retried
 * and ends in the failure destination rather than being silently dropped.
 */
export function memoryChangeOf(change: StoredChange): MemoryChange {
  const { eventName, oldImage, newImage, sequence } = change;
  if ((eventName === 'INSERT' || eventName === 'MODIFY') && isRememberable(newImage)) {
    return { kind: 'remember', message: toRemembered(newImage as Record<string, unknown>), sequence };
  }
  const gone =
    (eventName === 'REMOVE' && isMessage(oldImage)) ||
    (eventName === 'MODIFY' && isRememberable(oldImage) && isMessage(newImage));
  if (gone && oldImage !== undefined) {
    return { kind: 'forget', roomId: field(oldImage, 'roomId'), messageId: field(oldImage, 'messageId'), sequence };
  }
  return { kind: 'ignore' };
}

/**
 * Orders two stream sequence numbers (decimal strings of up to 40 digits,
 * too long for a double): negative when `a` comes first.
 */
export function compareSequence(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
