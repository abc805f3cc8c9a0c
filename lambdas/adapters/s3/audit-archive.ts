import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditArchive } from '../../domain/audit';

/** S3's answers to a conditional write whose object already exists (or is being written). */
const isAlreadyThere = (error: unknown): boolean => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    $metadata?.httpStatusCode === 412 ||
    $metadata?.httpStatusCode === 409
  );
};

/**
 * The audit archive in an S3 bucket with Object Lock: objects are written
 * with `If-None-Match: *`, so a retried batch finds its object and writes
 * nothing, and once written, an object version cannot be changed or deleted
 * until its retention ends (the bucket's default retention applies).
 */
export class S3AuditArchive implements AuditArchive {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putOnce(key: string, body: string): Promise<'written' | 'exists'> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/x-ndjson',
          IfNoneMatch: '*',
          // Object Lock buckets require an integrity checksum on every write.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      return 'written';
    } catch (error) {
      if (isAlreadyThere(error)) return 'exists';
      throw error;
    }
  }
}
