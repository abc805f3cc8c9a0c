import { describe, expect, it } from 'vitest';
import { marksSignature, NO_MARKS, regenerateAsked, regenerateRefused } from '../../../web/src/agent-replies';
import { de } from '../../../web/src/i18n/de';
import { en } from '../../../web/src/i18n/en';

describe('regenerating a reply, in the reader’s marks', () => {
  it('shows a refusal on the reply it concerns, and clears it when asked again', () => {
    const marks = regenerateRefused(NO_MARKS, 'R1', '@guide has answered this message 3 times, the most it may.');

    expect(marks.errors.get('R1')).toContain('3 times');
    expect(marks.errors.has('R2')).toBe(false);
    expect(marksSignature(marks, 'R1')).not.toBe(marksSignature(NO_MARKS, 'R1'));
    expect(regenerateAsked(marks, 'R1').errors.has('R1')).toBe(false);
    expect(NO_MARKS.errors.size).toBe(0);
  });

  it('names the button and what it does in every language', () => {
    for (const catalogue of [en, de]) {
      expect(catalogue.agentReply.regenerate.length).toBeGreaterThan(0);
      expect(catalogue.agentReply.regenerating.length).toBeGreaterThan(0);
      expect(catalogue.agentReply.regenerateLabel('Guide')).toContain('Guide');
    }
  });
});
