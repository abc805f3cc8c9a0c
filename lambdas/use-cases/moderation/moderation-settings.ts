import { ValidationError } from '../../domain/errors';
import { assertCanConfigureModeration, assertCanModerate } from '../../domain/moderation/permissions';
import { unknownPhoneRegion } from '../../domain/moderation/pii';
import type { ModerationRequestOf } from '../../domain/moderation/requests';
import {
  applySettingsPatch,
  DEFAULT_MODERATION_SETTINGS,
  type ModerationSettings,
} from '../../domain/moderation/settings';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';
import type { ModerationActionDeps } from './moderation-deps';

type SettingsDeps = Pick<ModerationActionDeps, 'rooms' | 'settings' | 'audit' | 'clock'>;

/** The room's moderation settings (owner and moderators); `defaults` when the room never changed them. */
export async function getModerationSettings(
  deps: SettingsDeps,
  identity: Identity,
  request: ModerationRequestOf<'getModerationSettings'>,
): Promise<{ roomId: string; settings: ModerationSettings; defaults: boolean }> {
  assertCanModerate(await requireMembership(deps.rooms, request.roomId, identity.userId));
  const saved = await deps.settings.get(request.roomId);
  return { roomId: request.roomId, settings: saved ?? DEFAULT_MODERATION_SETTINGS, defaults: saved === undefined };
}

/**
 * Changes some of the room's moderation settings (the owner only). Fields
 * left out keep their value; the change applies to messages moderated from
 * now on and is recorded in the audit trail with the names of the changed
 * settings. Phone regions must be ones whose numbers can be recognised.
 */
export async function setModerationSettings(
  deps: SettingsDeps,
  identity: Identity,
  request: ModerationRequestOf<'setModerationSettings'>,
): Promise<{ roomId: string; settings: ModerationSettings }> {
  // Checked here rather than in the wire schema: the region list is the phone
  // metadata, which every function would otherwise bundle (about 90 KB).
  const badRegion = unknownPhoneRegion(request.settings.pii?.phoneRegions ?? []);
  if (badRegion !== undefined) {
    throw new ValidationError(
      `settings.pii.phoneRegions: "${badRegion}" is not a region whose phone numbers can be recognised ` +
        '(an ISO 3166-1 alpha-2 code such as US or GB).',
    );
  }
  assertCanConfigureModeration(await requireMembership(deps.rooms, request.roomId, identity.userId));
  const current = (await deps.settings.get(request.roomId)) ?? DEFAULT_MODERATION_SETTINGS;
  const next = applySettingsPatch(current, request.settings);
  const updatedAt = new Date(deps.clock.now()).toISOString();
  await deps.settings.put(request.roomId, next, { updatedBy: identity.userId, updatedAt });
  const changed = (Object.keys(next) as Array<keyof ModerationSettings>).filter(
    (key) => JSON.stringify(next[key]) !== JSON.stringify(current[key]),
  );
  await deps.audit.record({
    roomId: request.roomId,
    idempotencyKey: `moderationSettings:${updatedAt}:${identity.userId}`,
    occurredAt: updatedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'moderation.settingsChanged',
    target: { type: 'room', id: request.roomId },
    details: { changed },
  });
  return { roomId: request.roomId, settings: next };
}
