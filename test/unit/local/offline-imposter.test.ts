import { describe, expect, it } from 'vitest';
import { IMPOSTER_PROMPT_MARKER, imposterSystemPrompt, sanitiseAgentLine } from '../../../lambdas/domain/games/imposter-rules';
import { composeImposterLine, isImposterRequest } from '../../../scripts/local/bedrock/offline-imposter';
import { OfflineResponder } from '../../../scripts/local/bedrock/offline-responder';

const ask = (transcript: string) => ({ messages: [{ role: 'user' as const, text: transcript }] });

describe('the offline imposter', () => {
  it('knows the imposter’s prompt by its marker', () => {
    expect(isImposterRequest({ system: imposterSystemPrompt('Kim', ['Sam']) })).toBe(true);
    expect(isImposterRequest({ system: 'You are @concierge' })).toBe(false);
  });

  it('reacts to a word of the last line in a short, lower-case line that a sanitiser keeps whole', () => {
    const line = composeImposterLine(ask('Sam: hi\nLou: anyone up for basketball tonight'));

    expect(line).toMatch(/basketball/);
    expect(line).toBe(line.toLowerCase());
    expect(sanitiseAgentLine(line)).toBe(line);
    expect(line).not.toMatch(/\bai\b|model|assistant/i);
  });

  it('replays the same round the same way and opens an empty one with a greeting', () => {
    const transcript = 'Sam: pizza or pasta';
    expect(composeImposterLine(ask(transcript))).toBe(composeImposterLine(ask(transcript)));
    expect(composeImposterLine(ask('(nobody has written yet; open the chat with a greeting)'))).toMatch(/^(hey|hi|yo|hello)/);
  });

  it('answers through the offline responder when the prompt is the imposter’s', async () => {
    const responder = new OfflineResponder({ pieceDelayMs: 0 });
    let text = '';
    for await (const event of responder.chat(
      { modelId: 'any', system: `${IMPOSTER_PROMPT_MARKER}\nYou are Kim`, messages: [{ role: 'user', text: 'Sam: lovely weather' }], maxTokens: 60 },
      new AbortController().signal,
    )) {
      if (event.type === 'text') text += event.text;
    }
    expect(text).toMatch(/weather/);
  });
});
