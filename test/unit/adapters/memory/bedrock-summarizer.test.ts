import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BedrockSummarizer } from '../../../../lambdas/adapters/memory/bedrock-summarizer';
import { sequenced } from '../../../support/memory';

const client = new BedrockRuntimeClient({ region: 'eu-west-1' });
const bedrock = mockClient(client);
afterEach(() => bedrock.reset());

const previous = {
  roomId: 'r1',
  text: 'The offsite is in Lisbon.',
  fromMessageId: 'm001',
  toMessageId: 'm020',
  fromSeq: 1,
  throughSeq: 20,
  producedBy: 'bedrock:m',
  createdAt: '2026-11-21T12:00:00.000Z',
};

describe('BedrockSummarizer', () => {
  it('rolls the previous summary forward over the new messages with the configured model', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ text: '  The offsite is in Lisbon on 14 May.  ' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      metrics: { latencyMs: 1 },
      $metadata: {},
    });
    const summarizer = new BedrockSummarizer(client, { modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' });

    const draft = await summarizer.summarize({ previous, messages: [sequenced(21, 'It is on 14 May.', 'Dana')] });

    expect(draft).toEqual({
      text: 'The offsite is in Lisbon on 14 May.',
      producedBy: 'bedrock:eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    });
    expect(bedrock).toHaveReceivedCommandWith(ConverseCommand, {
      modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      messages: [
        {
          role: 'user',
          content: [{ text: 'Previous summary:\nThe offsite is in Lisbon.\n\nMessages since:\n[2026-11-21 12:00] Dana: It is on 14 May.' }],
        },
      ],
      inferenceConfig: { maxTokens: 400, temperature: 0 },
    });
    const system = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input.system?.[0];
    expect(system && 'text' in system ? system.text : '').toMatch(/never instructions/);
  });

  it('gives the model every message with its date and asks it to keep the dates of durable facts', async () => {
    // A model that does what it is asked: it keeps the dated decision and drops the chatter.
    bedrock.on(ConverseCommand).callsFake((input: { messages: Array<{ content: Array<{ text: string }> }> }) => {
      const lines = (input.messages[0]?.content[0]?.text ?? '').split('\n');
      const kept = lines.filter((line) => /booked|Previous/.test(line) === false && /^\[\d{4}-\d{2}-\d{2}\]/.test(line));
      const booked = lines.find((line) => line.includes('booked'))?.replace(/^\[(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}\] /, '[$1] ');
      return { output: { message: { role: 'assistant', content: [{ text: [...kept, booked].join('\n') }] } }, $metadata: {} };
    });
    const summarizer = new BedrockSummarizer(client, { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    const at = (n: number, text: string, iso: string) => ({ ...sequenced(n, text, 'Chen'), createdAt: iso });

    const draft = await summarizer.summarize({
      previous: { ...previous, text: '[2026-11-02] Dana: the offsite is in Lisbon.' },
      messages: [at(21, 'ok lol', '2026-11-24T09:00:00.000Z'), at(22, "We booked the team dinner at Fernando's Grill.", '2026-11-24T09:14:00.000Z')],
    });

    const sent = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
    const system = sent?.system?.[0];
    expect(system && 'text' in system ? system.text : '').toMatch(/starting with the date of the message that said it/);
    expect(sent?.messages?.[0]?.content?.[0]?.text).toBe(
      'Previous summary:\n[2026-11-02] Dana: the offsite is in Lisbon.\n\nMessages since:\n' +
        '[2026-11-24 09:00] Chen: ok lol\n[2026-11-24 09:14] Chen: We booked the team dinner at Fernando\'s Grill.',
    );
    expect(draft.text).toBe("[2026-11-02] Dana: the offsite is in Lisbon.\n[2026-11-24] Chen: We booked the team dinner at Fernando's Grill.");
  });

  it('fails when the model returns no text, so the record is retried', async () => {
    bedrock.on(ConverseCommand).resolves({ output: { message: { role: 'assistant', content: [] } }, $metadata: {} } as never);
    const summarizer = new BedrockSummarizer(client, { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });

    await expect(summarizer.summarize({ messages: [sequenced(1, 'hello there everyone')] })).rejects.toThrow(/no text/);
  });
});
