import type { RememberedMessage, SequencedMessage } from '../../lambdas/domain/memory/types';

/** A remembered message of room r1 with a readable id (`m007` for n = 7). */
export const remembered = (n: number, text: string, senderName = 'Alice'): RememberedMessage => ({
  roomId: 'r1',
  messageId: `m${String(n).padStart(3, '0')}`,
  senderName,
  senderType: 'human',
  text,
  createdAt: new Date(Date.UTC(2026, 10, 21, 12, 0, n)).toISOString(),
});

export const sequenced = (n: number, text: string, senderName = 'Alice'): SequencedMessage => ({
  ...remembered(n, text, senderName),
  seq: n,
});

/** A stream sequence number: increasing with `n`, longer than a double can hold. */
export const streamSequence = (n: number): string => `4000000000000${String(n).padStart(21, '0')}`;

/**
 * A toy embedder for tests: one dimension per concept, so words that mean the
 * same thing land close together without sharing a single letter.
 */
export const CONCEPTS: ReadonlyArray<readonly string[]> = [
  ['puppy', 'dog', 'beagle', 'pet'],
  ['name', 'called'],
  ['database', 'postgres', 'db'],
  ['lunch', 'ramen', 'pizza'],
];

export const conceptVector = (text: string): number[] => {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return CONCEPTS.map((concept) => words.filter((w) => concept.includes(w)).length + 0.01);
};
