import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { getAuditLog } from '../use-cases/audit/get-audit-log';
import {
  deleteMessage,
  getOriginalMessage,
  hideMessage,
  releaseMessage,
  unhideMessage,
} from '../use-cases/moderation/moderate-actions';
import { listHeldMessages } from '../use-cases/moderation/list-held-messages';
import type { ModerationActionDeps } from '../use-cases/moderation/moderation-deps';
import { getModerationSettings, setModerationSettings } from '../use-cases/moderation/moderation-settings';
import { actionRateLimiter, auditLog, connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';
import { heldQueue, moderatedMessages, moderationSettings, originalTexts } from '../wiring/moderation';

const audit = auditLog();
const messages = moderatedMessages();
const held = heldQueue();
const deps: ModerationActionDeps = {
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  messages,
  originals: originalTexts(),
  settings: moderationSettings(),
  audit,
  clock: systemClock,
};

const onMessage = ({ roomId, messageId }: { roomId: string; messageId: string }) => ({ roomId, messageId });

/**
 * Moderator actions on messages (and a sender deleting their own), the
 * review queue of held messages, the room's moderation settings and its
 * audit log. Failed posts of a message's
 * change are reported.
 */
export const handler = createActionHandler(
  {
    hideMessage: (identity, request) => withDeliveryReported(hideMessage(deps, identity, request), onMessage(request)),
    unhideMessage: (identity, request) => withDeliveryReported(unhideMessage(deps, identity, request), onMessage(request)),
    releaseMessage: (identity, request) => withDeliveryReported(releaseMessage(deps, identity, request), onMessage(request)),
    deleteMessage: (identity, request) => withDeliveryReported(deleteMessage(deps, identity, request), onMessage(request)),
    getOriginalMessage: (identity, request) => getOriginalMessage(deps, identity, request),
    getModerationSettings: (identity, request) => getModerationSettings(deps, identity, request),
    setModerationSettings: (identity, request) => setModerationSettings(deps, identity, request),
    listHeldMessages: (identity, request) => listHeldMessages({ rooms: deps.rooms, held, messages }, identity, request),
    getAuditLog: (identity, request) => getAuditLog({ rooms: deps.rooms, auditLog: audit }, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
