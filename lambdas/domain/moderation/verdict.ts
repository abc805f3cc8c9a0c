import type { Check, Finding } from './findings';
import { reasonOf } from './findings';
import type { FinalModerationState } from '../message';
import type { ModerationAction, ModerationSettings } from './settings';

export interface Verdict {
  readonly state: FinalModerationState;
  /** The text to store: the original, the redacted version, or empty when blocked. */
  readonly text: string;
  /** Codes of every finding, sorted and unique, including those the room allows. */
  readonly reasons: string[];
}

const SEVERITY: Record<ModerationAction, number> = { allow: 0, redact: 1, quarantine: 2, block: 3 };
const STATE: Record<ModerationAction, FinalModerationState> = {
  allow: 'allowed',
  redact: 'redacted',
  quarantine: 'quarantined',
  block: 'blocked',
};

const LABELS: Readonly<Record<string, string>> = {
  'pii.email': '[email]',
  'pii.phone': '[phone]',
  'pii.card': '[card number]',
  'pii.iban': '[iban]',
  'pii.ip': '[ip address]',
  'pii.awsAccessKey': '[access key]',
  'pii.awsSecretKey': '[secret]',
};

export const actionFor = (check: Check, settings: ModerationSettings): ModerationAction => {
  switch (check) {
    case 'pii':
      return settings.pii.action;
    case 'profanity':
      return settings.profanity.action;
    case 'injection':
      return settings.injection.action;
    case 'guardrail':
      return settings.guardrail.action;
  }
};

/**
 * Replaces each span with its label (`[email]`) or, for words, asterisks of
 * the same length. Overlapping spans merge into one; the first finding's
 * label names the merged span.
 */
export function redact(text: string, findings: readonly Finding[]): string {
  const spans = findings
    .filter((f) => f.span !== undefined)
    .map((f) => ({ start: f.span!.start, end: f.span!.end, label: LABELS[reasonOf(f)] }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (let i = 0; i < spans.length; ) {
    const first = spans[i] as (typeof spans)[number];
    let end = first.end;
    let j = i + 1;
    while (j < spans.length && (spans[j] as (typeof spans)[number]).start < end) {
      end = Math.max(end, (spans[j] as (typeof spans)[number]).end);
      j += 1;
    }
    out += text.slice(cursor, first.start) + (first.label ?? '*'.repeat(end - first.start));
    cursor = end;
    i = j;
  }
  return out + text.slice(cursor);
}

/**
 * The outcome for a text and its findings under a room's settings: the most
 * severe action any finding calls for. Findings whose action is `redact` are
 * redacted whatever the outcome, so a quarantined message that a moderator
 * later releases still shows no personal data.
 */
export function decide(text: string, findings: readonly Finding[], settings: ModerationSettings): Verdict {
  const reasons = [...new Set(findings.map(reasonOf))].sort();
  let action: ModerationAction = 'allow';
  for (const finding of findings) {
    const wanted = actionFor(finding.check, settings);
    // A check that judges the whole text cannot redact it: hold it back instead.
    const effective = wanted === 'redact' && finding.span === undefined ? 'quarantine' : wanted;
    if (SEVERITY[effective] > SEVERITY[action]) action = effective;
  }
  if (action === 'block') return { state: 'blocked', text: '', reasons };
  const redactable = findings.filter((f) => f.span !== undefined && actionFor(f.check, settings) === 'redact');
  return { state: STATE[action], text: redactable.length > 0 ? redact(text, redactable) : text, reasons };
}
