import type { Finding } from './findings';

/**
 * Prompt-injection and jailbreak patterns: text that tries to make an agent
 * drop its instructions, reveal them, adopt an unrestricted persona, or that
 * forges the role markers of a chat transcript. Patterns run on a normalised
 * copy (Unicode NFKC, lower case, zero-width characters removed, whitespace
 * collapsed), so spacing and look-alike letters do not hide them.
 *
 * This is a pattern list, not a classifier: it catches the common, verbatim
 * attacks cheaply and offline. Rooms that need more turn on the Bedrock
 * Guardrails check, whose prompt-attack filter is a trained model.
 */
const PATTERNS: ReadonlyArray<readonly [kind: string, pattern: RegExp]> = [
  [
    'ignorePrevious',
    /\b(?:ignore|disregard|forget|skip|override|bypass)\b.{0,20}\b(?:all|any|every|the|your|my|these|those|previous|prior|above|earlier|preceding|original|initial|system)\b.{0,20}\b(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|constraints|context|programming)\b/,
  ],
  [
    'revealPrompt',
    /\b(?:reveal|show|print|repeat|output|display|leak|tell me|give me|what (?:is|are|was|were))\b.{0,20}\b(?:your|the)\b.{0,12}\b(?:system|initial|original|hidden|secret|developer)\b.{0,10}\b(?:prompt|instructions?|message|rules)\b/,
  ],
  [
    'persona',
    /\b(?:you are now|you're now|from now on,? you(?: are| will be|'re)|act as|pretend (?:to be|you are|that you are)|roleplay as)\b.{0,40}\b(?:dan|jailbroken|unrestricted|unfiltered|uncensored|evil|without (?:any )?(?:restrictions|rules|limits|filters|guidelines))\b/,
  ],
  ['doAnythingNow', /\bdo anything now\b|\bdan mode\b|\bdeveloper mode (?:enabled|on)\b|\bjailbreak(?:ing|ed)?\b/],
  [
    'noRestrictions',
    /\b(?:no|without|free (?:of|from)|ignore (?:your|all))\b.{0,12}\b(?:restrictions|filters|guidelines|content polic(?:y|ies)|safety (?:rules|guidelines|policies)|ethical guidelines)\b.{0,40}\b(?:answer|respond|reply|comply|tell|say|output|write)\b/,
  ],
  ['newInstructions', /\b(?:new|updated|real|actual) (?:system )?instructions?\s*:/],
  [
    'forgetAbove',
    /\b(?:forget|ignore|disregard)\b.{0,15}\b(?:everything|all|anything)\b.{0,20}\b(?:above|before this|so far|you were told)\b/,
  ],
  [
    'roleMarker',
    /(?:^|\n)\s*(?:system|assistant|developer)\s*:|<\|(?:im_start|im_end|system|endoftext)\|>|\[\/?inst\]|<<\/?sys>>|(?:^|\n)\s*#{2,}\s*(?:system|instruction)/,
  ],
];

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** The text as the patterns see it. */
export function normaliseForInjection(text: string): string {
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/’/g, "'");
}

/** Injection findings judge the whole message: there is nothing to redact, only to hold back. */
export function findInjection(text: string): Finding[] {
  const normalised = normaliseForInjection(text);
  return PATTERNS.filter(([, pattern]) => pattern.test(normalised)).map(([kind]) => ({ check: 'injection', kind }));
}

const MENTION = /(?:^|[^\w@])@([A-Za-z0-9][\w.-]{0,63})/g;

/** The @handles a text mentions, lower-cased. */
export function mentionsIn(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => (m[1] as string).replace(/[.-]+$/, '').toLowerCase());
}

/**
 * Whether a message is addressed to one of the room's agents. With a known
 * roster, it must mention one of the agents' handles; without one (no
 * roster wired), any mention counts, which errs on the side of checking.
 */
export function isAddressedToAgent(text: string, agentHandles?: ReadonlySet<string>): boolean {
  const mentions = mentionsIn(text);
  if (agentHandles === undefined) return mentions.length > 0;
  return mentions.some((handle) => agentHandles.has(handle));
}
