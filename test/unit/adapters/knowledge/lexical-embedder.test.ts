import { describe, expect, it } from 'vitest';
import { LEXICAL_EMBEDDER_MODEL, LexicalEmbedder } from '../../../../lambdas/adapters/knowledge/lexical-embedder';
import { dequantize, quantize, similarity } from '../../../../lambdas/domain/memory/vectors';

const embedder = new LexicalEmbedder();
const cosine = async (a: string, b: string) =>
  similarity(dequantize(quantize(await embedder.embed(a))), dequantize(quantize(await embedder.embed(b))));

describe('LexicalEmbedder', () => {
  it('says in its name that it is lexical', () => {
    expect(embedder.model).toBe(LEXICAL_EMBEDDER_MODEL);
    expect(LEXICAL_EMBEDDER_MODEL).toMatch(/^lexical-/);
  });

  it('gives the same unit vector for the same text, every time', async () => {
    const a = await embedder.embed('The warranty covers two years.');
    const b = await new LexicalEmbedder().embed('The warranty covers two years.');

    expect(a).toEqual(b);
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a)).toBeCloseTo(1);
  });

  it('puts other forms of a word close, and unrelated text far', async () => {
    const forms = await cosine('Deliveries arrive on Tuesdays', 'the delivery arrived on a Tuesday');
    const unrelated = await cosine('Deliveries arrive on Tuesdays', 'password rotation policy for staff');

    expect(forms).toBeGreaterThan(0.4);
    expect(unrelated).toBeLessThan(0.15);
  });

  it('brings texts that use WordNet synonyms closer than unrelated ones', async () => {
    expect(await cosine('the children played', 'the kids played')).toBeGreaterThan(await cosine('the children played', 'the invoice arrived'));
  });

  it('knows words, not meaning: a paraphrase without shared or related words stays apart', async () => {
    expect(await cosine('refund', 'money back')).toBeLessThan(0.1);
  });

  it('gives a zero vector for a text without words', async () => {
    expect((await embedder.embed('… !!')).every((v) => v === 0)).toBe(true);
  });
});
