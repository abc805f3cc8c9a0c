import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../../../lambdas/adapters/s3/document-store';
import { createdObjectsOf } from '../../../../lambdas/adapters/s3/object-events';

const s3 = mockClient(S3Client);
afterEach(() => {
  s3.reset();
});

const client = () => new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

describe('S3DocumentStore', () => {
  it('signs a POST policy naming the key, the exact type and the size range', async () => {
    const form = await new S3DocumentStore(client(), 'docs').uploadForm('rooms/r1/documents/D/v1', 'application/pdf', 1000, 300);

    expect(form.url).toContain('docs');
    expect(form.fields).toMatchObject({ key: 'rooms/r1/documents/D/v1', 'Content-Type': 'application/pdf' });
    const policy = JSON.parse(Buffer.from(form.fields['Policy']!, 'base64').toString('utf8')) as { conditions: unknown[]; expiration: string };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 1000],
        ['eq', '$Content-Type', 'application/pdf'],
        { key: 'rooms/r1/documents/D/v1' },
        { bucket: 'docs' },
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - Date.now();
    expect(expiresIn).toBeGreaterThan(200_000);
    expect(expiresIn).toBeLessThanOrEqual(300_000);
  });

  it('describes an object, and nothing for a missing one', async () => {
    s3.on(HeadObjectCommand, { Key: 'a' }).resolves({ ContentLength: 12, ContentType: 'text/plain' });
    s3.on(HeadObjectCommand, { Key: 'b' }).rejects(new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } }));
    const store = new S3DocumentStore(client(), 'docs');

    expect(await store.describe('a')).toEqual({ size: 12, contentType: 'text/plain' });
    expect(await store.describe('b')).toBeUndefined();
  });

  it('reads an object’s bytes', async () => {
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new TextEncoder().encode('hello') } } as never);

    const bytes = await new S3DocumentStore(client(), 'docs').read('k');

    expect(Buffer.from(bytes).toString()).toBe('hello');
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'docs', Key: 'k' });
  });

  it('deletes every object under a prefix, page by page', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'p/v1' }, { Key: 'p/v2' }], IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce({ Contents: [{ Key: 'p/v3' }] });
    s3.on(DeleteObjectsCommand).resolves({});

    expect(await new S3DocumentStore(client(), 'docs').deleteUnder('p/')).toBe(3);

    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'docs', Prefix: 'p/', ContinuationToken: 't' });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, { Bucket: 'docs', Delete: { Objects: [{ Key: 'p/v3' }], Quiet: true } });
  });
});

describe('createdObjectsOf', () => {
  it('reads created objects from an S3 notification, keys decoded', () => {
    const body = JSON.stringify({
      Records: [
        { eventName: 'ObjectCreated:Post', s3: { bucket: { name: 'docs' }, object: { key: 'rooms/r1/documents/D/my+file%C3%A9', size: 5 } } },
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'docs' }, object: { key: 'x' } } },
      ],
    });

    expect(createdObjectsOf(body)).toEqual([{ bucket: 'docs', key: 'rooms/r1/documents/D/my fileé', size: 5 }]);
  });

  it('reads nothing from S3’s test event and refuses anything that is not a notification', () => {
    expect(createdObjectsOf(JSON.stringify({ Event: 's3:TestEvent', Bucket: 'docs' }))).toEqual([]);
    expect(() => createdObjectsOf('not json')).toThrow('not JSON');
    expect(() => createdObjectsOf('{"hello":1}')).toThrow('not an S3 event notification');
  });
});
