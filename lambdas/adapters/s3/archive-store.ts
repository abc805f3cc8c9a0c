import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ValidationError } from '../../domain/errors';
import { archivePrefix, parseArchiveKey } from '../../domain/retention/archive';
import type { ArchiveEntry, ArchiveReader, ArchiveWriter } from '../../domain/retention/ports';
import type { Page } from '../../domain/types';

/**
 * The message archive in an S3 bucket (layout in domain/retention/archive.ts).
 * The bucket's default encryption (KMS) and versioning apply to every write,
 * so the writer names neither; an overwrite keeps the previous version.
 *
 * The client's endpoint comes from the SDK's configuration: in AWS the
 * regional endpoint (virtual-hosted addressing); with AWS_ENDPOINT_URL_S3 set
 * to a local engine on an IP address, the SDK addresses buckets by path,
 * which is also what makes download links work against 127.0.0.1.
 */
export class S3ArchiveStore implements ArchiveWriter, ArchiveReader {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async writeObject(key: string, jsonLines: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: gzipSync(jsonLines),
        // A .jsonl.gz file, not a compressed transfer: downloads keep the gzip bytes as named.
        ContentType: 'application/gzip',
      }),
    );
  }

  /**
   * One ListObjectsV2 call per page: keys sort by day within a room, so the
   * listing starts right before `from` and stops at the first key past `to`.
   * The cursor is the last key returned; only keys of this room are accepted.
   */
  async list(
    roomId: string,
    range: { readonly from: string; readonly to: string },
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<ArchiveEntry>> {
    const prefix = archivePrefix(roomId);
    if (page.cursor !== undefined && !page.cursor.startsWith(prefix)) {
      throw new ValidationError('The cursor is not one Parley issued for this room.');
    }
    const startAfter = page.cursor ?? `${prefix}${range.from}`;
    const result = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        StartAfter: startAfter,
        // One more than asked for tells whether another page exists.
        MaxKeys: page.limit + 1,
      }),
    );
    const entries: ArchiveEntry[] = [];
    let lastListed: string | undefined;
    let more: boolean | undefined;
    for (const object of result.Contents ?? []) {
      const key = object.Key;
      if (key === undefined) continue;
      const parsed = parseArchiveKey(key);
      if (parsed && parsed.date > range.to) {
        more = false;
        break;
      }
      if (entries.length === page.limit) {
        more = true;
        break;
      }
      lastListed = key;
      if (parsed && parsed.roomId === roomId && parsed.cause === 'expired' && parsed.date >= range.from) {
        entries.push({ key, date: parsed.date, bytes: object.Size ?? 0 });
      }
    }
    // Neither the range's end nor an extra object was reached: more exist if S3 has more keys.
    more ??= result.IsTruncated === true;
    return { items: entries, ...(more && lastListed !== undefined ? { nextCursor: lastListed } : {}) };
  }

  downloadLink(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }
}
