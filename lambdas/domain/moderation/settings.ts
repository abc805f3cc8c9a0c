import * as z from 'zod/mini';
import { PII_KINDS } from './findings';

/**
 * A room's moderation settings: which checks run and what each finding
 * leads to. Rooms without saved settings use `DEFAULT_MODERATION_SETTINGS`.
 *
 * Actions, mildest first: `allow` (record only), `redact` (replace the
 * matched text; possible only for checks that point at text), `quarantine`
 * (hide from everyone but the sender and the room's moderators until a
 * moderator releases or deletes it), `block` (keep the text from everyone).
 */
export const ACTIONS = ['allow', 'redact', 'quarantine', 'block'] as const;
export type ModerationAction = (typeof ACTIONS)[number];

const spanAction = z.enum(ACTIONS);
const wholeAction = z.enum(['allow', 'quarantine', 'block']);

export const moderationSettingsSchema = z.object({
  /** Off: messages are allowed unchecked (still recorded in the audit trail). */
  enabled: z.boolean(),
  pii: z.object({
    action: spanAction,
    kinds: z.array(z.enum(PII_KINDS)).check(z.maxLength(PII_KINDS.length)),
    /** ISO 3166 regions whose national phone number formats are recognised. */
    phoneRegions: z.array(z.string().check(z.regex(/^[A-Z]{2}$/))).check(z.maxLength(10)),
  }),
  profanity: z.object({ action: spanAction }),
  injection: z.object({
    action: wholeAction,
    /** `addressedToAgents`: only messages that mention an agent; `all`: every message. */
    scope: z.enum(['addressedToAgents', 'all']),
  }),
  /** The Bedrock Guardrails check, when the deployment configures a guardrail. */
  guardrail: z.object({ action: wholeAction }),
  /**
   * Keep the original text of redacted, quarantined and blocked messages for
   * the room's moderators (encrypted, expiring). Off: it is discarded.
   */
  keepOriginals: z.boolean(),
});

export type ModerationSettings = z.output<typeof moderationSettingsSchema>;

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  enabled: true,
  pii: { action: 'redact', kinds: [...PII_KINDS], phoneRegions: ['US', 'GB'] },
  profanity: { action: 'redact' },
  injection: { action: 'quarantine', scope: 'addressedToAgents' },
  guardrail: { action: 'quarantine' },
  keepOriginals: true,
};

/** A change to some settings: every field optional, nested objects merged. */
export const moderationSettingsPatchSchema = z.object({
  enabled: z.optional(z.boolean()),
  pii: z.optional(z.partial(moderationSettingsSchema.shape.pii)),
  profanity: z.optional(z.partial(moderationSettingsSchema.shape.profanity)),
  injection: z.optional(z.partial(moderationSettingsSchema.shape.injection)),
  guardrail: z.optional(z.partial(moderationSettingsSchema.shape.guardrail)),
  keepOriginals: z.optional(z.boolean()),
});
export type ModerationSettingsPatch = z.output<typeof moderationSettingsPatchSchema>;

/** Applies a patch; the result is validated again, so the stored settings are always whole. */
export function applySettingsPatch(current: ModerationSettings, patch: ModerationSettingsPatch): ModerationSettings {
  const merged = {
    enabled: patch.enabled ?? current.enabled,
    pii: { ...current.pii, ...definedOnly(patch.pii) },
    profanity: { ...current.profanity, ...definedOnly(patch.profanity) },
    injection: { ...current.injection, ...definedOnly(patch.injection) },
    guardrail: { ...current.guardrail, ...definedOnly(patch.guardrail) },
    keepOriginals: patch.keepOriginals ?? current.keepOriginals,
  };
  return moderationSettingsSchema.parse(merged);
}

const definedOnly = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Reads stored settings leniently: a field missing from an item written by
 * an older version takes its default, so adding a setting needs no migration.
 */
export function settingsFromStored(stored: unknown): ModerationSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_MODERATION_SETTINGS;
  const result = moderationSettingsPatchSchema.safeParse(stored);
  return result.success ? applySettingsPatch(DEFAULT_MODERATION_SETTINGS, result.data) : DEFAULT_MODERATION_SETTINGS;
}
