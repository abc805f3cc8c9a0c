import type { AuditLog } from '../../domain/audit';
import { runChecks } from '../../domain/moderation/checks';
import type { Detector } from '../../domain/moderation/findings';
import type { FinalModerationState, ModeratedMessage } from '../../domain/moderation/message';
import type {
  AgentRoster,
  ModeratedMessageStore,
  ModerationSettingsRepository,
  OriginalTextStore,
} from '../../domain/moderation/ports';
import { DEFAULT_MODERATION_SETTINGS } from '../../domain/moderation/settings';
import { decide } from '../../domain/moderation/verdict';
import type { Clock } from '../../domain/ports';
import type { DeliveryReport } from '../deliver-to-room';
import { deliverChange, type DeliverChangeDeps } from './deliver-change';

export interface ModerateMessageDeps extends DeliverChangeDeps {
  readonly settings: ModerationSettingsRepository;
  readonly messages: ModeratedMessageStore;
  readonly originals: OriginalTextStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Extra checks the deployment provides (Bedrock Guardrails). */
  readonly detectors?: readonly Detector[];
  readonly agents?: AgentRoster;
}

export interface ModerationOutcome {
  /** The decision as stored: this run's, or an earlier run's for a redelivered record. */
  readonly decision?: FinalModerationState;
  /** False when the message was already decided (a redelivery) or is gone. */
  readonly applied: boolean;
  readonly delivery?: DeliveryReport;
}

/**
 * Checks a pending message against its room's settings and moves it to its
 * final state, once. Then keeps the original for moderators (when the room
 * allows and the text changed), records the decision in the audit trail, and
 * tells the room: the sender's connections get `messageUpdated`, everyone
 * else who may see the result gets it as a new `message`.
 *
 * Safe to run again for the same record: the state changes only from
 * `pending` (a conditional write), the audit entry's idempotency key is the
 * message id and decision, and a rerun delivers the message as it is now
 * stored, which clients apply by message id.
 */
export async function moderateMessage(deps: ModerateMessageDeps, pending: ModeratedMessage): Promise<ModerationOutcome> {
  const { roomId, messageId } = pending;
  const [settings, agentHandles] = await Promise.all([
    deps.settings.get(roomId).then((s) => s ?? DEFAULT_MODERATION_SETTINGS),
    deps.agents?.handles(roomId),
  ]);
  const findings = await runChecks(
    pending.text,
    { roomId, senderType: pending.senderType },
    settings,
    { ...(deps.detectors ? { detectors: deps.detectors } : {}), ...(agentHandles ? { agentHandles } : {}) },
  );
  const verdict = decide(pending.text, findings, settings);
  const decidedAt = new Date(deps.clock.now()).toISOString();
  const redacted = verdict.text !== pending.text;

  const result = await deps.messages.applyDecision(roomId, messageId, {
    state: verdict.state,
    text: verdict.text,
    redacted,
    reasons: verdict.reasons,
    decidedAt,
  });
  const stored = result.applied ? result.message : result.current;
  // Deleted by a moderator before this (re)run: nothing left to decide or tell.
  if (!stored || stored.decision === undefined) return { applied: false };

  // The same decision as this run's (always, unless settings changed between
  // attempts): the original belongs with it. Kept after the decision is
  // stored, so an original never outlives a message deleted in between.
  const keepOriginal = settings.keepOriginals && redacted && stored.text === verdict.text;
  if (keepOriginal) {
    await deps.originals.put({
      roomId,
      messageId,
      senderId: pending.senderId,
      text: pending.text,
      reasons: verdict.reasons,
      keptAt: stored.moderatedAt ?? decidedAt,
    });
  }

  await deps.audit.record({
    roomId,
    idempotencyKey: `moderation:${messageId}:${stored.decision}`,
    occurredAt: stored.moderatedAt ?? decidedAt,
    actor: { type: 'system', id: 'moderation' },
    action: `moderation.${stored.decision}`,
    target: { type: 'message', id: messageId },
    details: {
      reasons: [...(stored.reasons ?? [])],
      senderType: pending.senderType,
      senderId: pending.senderId,
      originalKept: keepOriginal,
    },
  });

  // A person's pending message went to their own connections only; an
  // agent's reply was streamed to the whole room as it was written.
  const before = pending.senderType === 'human' ? pending : 'everyone';
  const delivery = await deliverChange(deps, before, stored, roomId, messageId);
  return { decision: stored.decision, applied: result.applied, delivery };
}
