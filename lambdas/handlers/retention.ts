import { createActionHandler } from '../shared/ws-action';
import { getArchive, type GetArchiveDeps } from '../use-cases/retention/get-archive';
import { getRetention, setRetention, type ManageRetentionDeps } from '../use-cases/retention/manage-retention';
import { actionRateLimiter, auditLog, roomRepository, systemClock } from '../wiring/chat';
import { RETENTION_ENV, intEnv } from '../wiring/env';
import { archiveStore, defaultRetention, retentionRepository } from '../wiring/retention';

const rooms = roomRepository();

const manageDeps: ManageRetentionDeps = {
  rooms,
  retention: retentionRepository(),
  audit: auditLog(),
  clock: systemClock,
  defaultDays: defaultRetention(),
};

const archiveDeps: GetArchiveDeps = {
  rooms,
  archive: archiveStore(),
  clock: systemClock,
  linkSeconds: intEnv(RETENTION_ENV.archiveLinkSeconds, 300),
  maxRangeDays: intEnv(RETENTION_ENV.archiveMaxRangeDays, 31),
};

/** Retention actions: owners set the policy and download the archive; members read the policy. */
export const handler = createActionHandler(
  {
    setRetention: (identity, request) => setRetention(manageDeps, identity, request),
    getRetention: (identity, request) => getRetention(manageDeps, identity, request),
    getArchive: (identity, request) => getArchive(archiveDeps, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
