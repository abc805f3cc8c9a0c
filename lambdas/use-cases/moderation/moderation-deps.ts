import type { AuditLog } from '../../domain/audit';
import type {
  ModeratedMessageStore,
  ModerationSettingsRepository,
  OriginalTextStore,
} from '../../domain/moderation/ports';
import type { Clock } from '../../domain/ports';
import type { DeliverChangeDeps } from './deliver-change';

/** What the moderator actions share. */
export interface ModerationActionDeps extends DeliverChangeDeps {
  readonly messages: ModeratedMessageStore;
  readonly originals: OriginalTextStore;
  readonly settings: ModerationSettingsRepository;
  readonly audit: AuditLog;
  readonly clock: Clock;
}
