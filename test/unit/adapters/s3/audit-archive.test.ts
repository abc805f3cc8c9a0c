import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3AuditArchive } from '../../../../lambdas/adapters/s3/audit-archive';

const s3 = mockClient(S3Client);
afterEach(() => {
  s3.reset();
});

describe('S3AuditArchive', () => {
  it('writes an object only if none exists, with a checksum', async () => {
    s3.on(PutObjectCommand).resolves({});

    const outcome = await new S3AuditArchive(new S3Client({ region: 'eu-west-1' }), 'trail').putOnce('audit/a.jsonl', '{}\n');

    expect(outcome).toBe('written');
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'trail',
      Key: 'audit/a.jsonl',
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'SHA256',
    });
  });

  it('reports an object written by an earlier attempt', async () => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } }),
    );

    const outcome = await new S3AuditArchive(new S3Client({ region: 'eu-west-1' }), 'trail').putOnce('k', 'b');

    expect(outcome).toBe('exists');
  });
});
