import type { CheckContext, Detector, Finding } from './findings';
import { findInjection, isAddressedToAgent } from './injection';
import { findPii } from './pii';
import { findProfanity } from './profanity';
import type { ModerationSettings } from './settings';

export interface CheckOptions {
  /** Extra checks the deployment provides (Bedrock Guardrails); they run when the room does not allow their findings anyway. */
  readonly detectors?: readonly Detector[];
  /** The room's agents' handles, when known; see `isAddressedToAgent`. */
  readonly agentHandles?: ReadonlySet<string>;
}

/**
 * Runs the room's checks over a text. The built-in checks (PII, profanity,
 * injection) are pure and cheap and always run when enabled; an extra,
 * paid check runs only when the room would act on what it finds.
 */
export async function runChecks(
  text: string,
  context: CheckContext,
  settings: ModerationSettings,
  options: CheckOptions = {},
): Promise<Finding[]> {
  if (!settings.enabled) return [];
  const findings: Finding[] = [];
  if (settings.pii.kinds.length > 0) {
    findings.push(...findPii(text, { kinds: settings.pii.kinds, phoneRegions: settings.pii.phoneRegions }));
  }
  findings.push(...findProfanity(text));
  if (settings.injection.scope === 'all' || isAddressedToAgent(text, options.agentHandles)) {
    findings.push(...findInjection(text));
  }
  for (const detector of options.detectors ?? []) {
    if (detector.check === 'guardrail' && settings.guardrail.action === 'allow') continue;
    findings.push(...(await detector.detect(text, context)));
  }
  return findings;
}
