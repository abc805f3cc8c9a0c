import type { SenderType } from '../message';
/**
 * What a moderation check reports: a category, a kind within it and, when
 * the check can point at it, the span of text it matched. Checks are
 * pluggable: each implements `Detector`, and the room's settings say which
 * run and what each finding leads to.
 */
export const CHECKS = ['pii', 'profanity', 'injection', 'guardrail'] as const;
export type Check = (typeof CHECKS)[number];

export const PII_KINDS = ['email', 'phone', 'card', 'iban', 'ip', 'awsAccessKey', 'awsSecretKey'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface Finding {
  readonly check: Check;
  /** A code naming what matched, e.g. `email`, `ignorePrevious`, `HATE`. Never the matched text. */
  readonly kind: string;
  /** UTF-16 offsets of the match, end exclusive; absent when the check judges the whole text. */
  readonly span?: { readonly start: number; readonly end: number };
}

/** What a check may know about a message besides its text. */
export interface CheckContext {
  readonly roomId: string;
  readonly senderType: SenderType;
}

/** A pluggable check. Built-in ones are pure; an AWS-side one (Bedrock Guardrails) calls out. */
export interface Detector {
  readonly check: Check;
  detect(text: string, context: CheckContext): Finding[] | Promise<Finding[]>;
}

/** `pii.email`, `injection.ignorePrevious`: the code a finding is reported and audited by. */
export const reasonOf = (finding: Finding): string => `${finding.check}.${finding.kind}`;
