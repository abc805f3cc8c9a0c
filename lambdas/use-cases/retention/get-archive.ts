import { PermissionError, ValidationError } from '../../domain/errors';
import { fitToBudget } from '../../domain/frame-budget';
import type { Clock, RoomRepository } from '../../domain/ports';
import { daysInRange, isArchiveDay } from '../../domain/retention/archive';
import type { RetentionRequestOf } from '../../domain/retention/protocol';
import type { ArchiveReader } from '../../domain/retention/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface GetArchiveDeps {
  readonly rooms: RoomRepository;
  readonly archive: ArchiveReader;
  readonly clock: Clock;
  /** How long download links work, in seconds. */
  readonly linkSeconds: number;
  /** The most days one request may cover, `from` and `to` included (31: any calendar month). */
  readonly maxRangeDays: number;
}

export interface ArchiveFile {
  /** UTC day the file's messages were sent. */
  readonly date: string;
  /** Short-lived download link of a gzip JSON Lines file. */
  readonly url: string;
  readonly bytes: number;
}

export interface ArchivePage {
  readonly roomId: string;
  readonly from: string;
  readonly to: string;
  /** When the links stop working. */
  readonly expiresAt: string;
  readonly files: ArchiveFile[];
  /** Present when more files match: send it back as `cursor` for the next page. */
  readonly nextCursor?: string;
}

/**
 * Download links to a room's archive for the days `from`..`to` (UTC,
 * inclusive), a page at a time; only the owner may ask. Each link is a
 * presigned GET that works for `linkSeconds` without any other credential,
 * so it is handed to the owner alone, over their own connection.
 */
export async function getArchive(
  deps: GetArchiveDeps,
  identity: Identity,
  request: RetentionRequestOf<'getArchive'>,
): Promise<ArchivePage> {
  if (!isArchiveDay(request.from) || !isArchiveDay(request.to)) {
    throw new ValidationError('from and to are calendar days written yyyy-mm-dd.');
  }
  const days = daysInRange(request.from, request.to);
  if (days < 1) throw new ValidationError('from comes after to.');
  if (days > deps.maxRangeDays) {
    throw new ValidationError(
      `A request covers at most ${deps.maxRangeDays} days, from and to included; this one covers ${days}.`,
    );
  }
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  if (membership.role !== 'owner') throw new PermissionError('Only the room owner can download its archive.');

  const page = await deps.archive.list(
    request.roomId,
    { from: request.from, to: request.to },
    { limit: request.limit, ...(request.cursor !== undefined ? { cursor: request.cursor } : {}) },
  );
  const expiresAt = new Date(deps.clock.now() + deps.linkSeconds * 1000).toISOString();
  const files = await Promise.all(
    page.items.map(async (entry) => ({
      date: entry.date,
      url: await deps.archive.downloadLink(entry.key, deps.linkSeconds),
      bytes: entry.bytes,
    })),
  );
  // Links are long (a presigned URL): cut the page if they would not fit in one WebSocket message.
  const fitted = fitToBudget(files);
  const nextCursor = fitted.cut ? page.items[fitted.items.length - 1]!.key : page.nextCursor;
  return {
    roomId: request.roomId,
    from: request.from,
    to: request.to,
    expiresAt,
    files: fitted.items,
    ...(nextCursor !== undefined ? { nextCursor } : {}),
  };
}
