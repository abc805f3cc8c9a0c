import { runChecks } from '../../domain/moderation/checks';
import type { Detector } from '../../domain/moderation/findings';
import { mentionsIn } from '../../domain/moderation/injection';
import type { AgentRoster, ModerationSettingsRepository, RoomModeration } from '../../domain/moderation/ports';
import { DEFAULT_MODERATION_SETTINGS, type ModerationSettings } from '../../domain/moderation/settings';
import { decide, type Verdict } from '../../domain/moderation/verdict';
import type { Message } from '../../domain/message';

export interface CheckMessageDeps {
  readonly settings: ModerationSettingsRepository;
  /** Extra checks the deployment provides (Bedrock Guardrails); none by default. */
  readonly detectors?: readonly Detector[];
  /** The room's agents, so the injection check applies to messages addressed to one; without it any mention counts. */
  readonly agents?: AgentRoster;
}

export interface CheckedMessage {
  /** The room's settings the decision was made with (the defaults when the room saved none). */
  readonly settings: ModerationSettings;
  readonly verdict: Verdict;
  /** Whether the verdict's text differs from what the sender wrote. */
  readonly redacted: boolean;
  /** Whether the room has at least one agent, read with its settings (no request of its own). */
  readonly roomHasAgents: boolean;
  /** The room's agent handles, when the text mentions someone and the roster was read for it. */
  readonly agentHandles?: ReadonlySet<string>;
}

/**
 * Checks a text against its room's moderation settings and decides what
 * becomes of it. The room's settings and, for a text that mentions someone,
 * its agent roster are read in parallel (without a mention no message
 * addresses an agent, so the roster could not change the outcome), unless
 * the caller passes the settings it has just read (sendMessage reads them
 * with the sender's membership, in one request); the
 * built-in checks are pure, and extra detectors run only when configured.
 * sendMessage calls it for a person's message before storing it, the
 * moderation consumer for an agent's reply after it was streamed.
 *
 * @example
 * const { verdict, redacted } = await checkMessage(deps, { roomId, senderType: 'human', text });
 */
export async function checkMessage(
  deps: CheckMessageDeps,
  message: Pick<Message, 'roomId' | 'senderType' | 'text'>,
  /** The room's settings when the caller has already read them (sendMessage reads them with the membership). */
  moderation?: RoomModeration,
): Promise<CheckedMessage> {
  const { roomId, senderType, text } = message;
  const [{ settings: saved, hasAgents }, agentHandles] = await Promise.all([
    moderation ?? deps.settings.getForCheck(roomId),
    mentionsIn(text).length > 0 ? deps.agents?.handles(roomId) : undefined,
  ]);
  const settings = saved ?? DEFAULT_MODERATION_SETTINGS;
  const findings = await runChecks(text, { roomId, senderType }, settings, {
    ...(deps.detectors ? { detectors: deps.detectors } : {}),
    ...(agentHandles ? { agentHandles } : {}),
  });
  const verdict = decide(text, findings, settings);
  return {
    settings,
    verdict,
    redacted: verdict.text !== text,
    roomHasAgents: hasAgents,
    ...(agentHandles ? { agentHandles } : {}),
  };
}
