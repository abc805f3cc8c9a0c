import { ApplyGuardrailCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Detector, Finding } from '../../domain/moderation/findings';

/**
 * The optional AWS-side check: Amazon Bedrock Guardrails' ApplyGuardrail on
 * a message's text, with whatever policies the guardrail is configured with
 * (content filters for hate, insults, sexual content, violence and
 * misconduct; the prompt-attack filter; denied topics and words). Each
 * policy that intervened becomes one finding on the whole text; matched
 * text never leaves this function.
 */
export class GuardrailDetector implements Detector {
  readonly check = 'guardrail' as const;

  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly guardrail: { readonly id: string; readonly version: string },
  ) {}

  async detect(text: string): Promise<Finding[]> {
    const result = await this.client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: this.guardrail.id,
        guardrailVersion: this.guardrail.version,
        source: 'INPUT',
        content: [{ text: { text } }],
      }),
    );
    if (result.action !== 'GUARDRAIL_INTERVENED') return [];
    const kinds = new Set<string>();
    for (const assessment of result.assessments ?? []) {
      for (const filter of assessment.contentPolicy?.filters ?? []) {
        if (filter.action === 'BLOCKED' && filter.type) kinds.add(filter.type);
      }
      for (const topic of assessment.topicPolicy?.topics ?? []) {
        if (topic.action === 'BLOCKED') kinds.add('deniedTopic');
      }
      if ((assessment.wordPolicy?.customWords ?? []).some((w) => w.action === 'BLOCKED')) kinds.add('deniedWord');
      if ((assessment.wordPolicy?.managedWordLists ?? []).some((w) => w.action === 'BLOCKED')) kinds.add('profanity');
    }
    // Intervened without a policy we recognise (a newer policy type): still a finding.
    if (kinds.size === 0) kinds.add('intervened');
    return [...kinds].sort().map((kind) => ({ check: 'guardrail', kind }));
  }
}
