import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalBucketNotification, LocalModel } from '../model';

/** The S3 event types the local runtime announces: objects created by a form POST, a PUT, a copy or a multipart upload. */
export type ObjectCreatedEventName =
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload';

/** An object a 2xx S3 request created, as the engine's hook saw it. */
export interface CreatedObjectRequest {
  readonly bucket: string;
  readonly key: string;
  readonly eventName: ObjectCreatedEventName;
}

export interface ObjectCreatedEventInput extends CreatedObjectRequest {
  readonly region: string;
  readonly size: number;
  readonly eTag: string;
  readonly time: Date;
  readonly configurationId: string;
}

/** S3 encodes keys in events as in a form: each character URL-encoded, spaces as `+`, slashes kept. */
export const eventKey = (key: string): string =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

/** True when `notification` asks for this event on this key (event type with `*`, prefix and suffix rules). */
export function notificationMatches(notification: LocalBucketNotification, bucket: string, eventName: string, key: string): boolean {
  if (notification.bucket !== bucket) return false;
  const wanted = `s3:${eventName}`;
  const eventMatches = notification.events.some((event) => event === wanted || (event.endsWith(':*') && wanted.startsWith(event.slice(0, -1))));
  return (
    eventMatches &&
    (notification.prefix === undefined || key.startsWith(notification.prefix)) &&
    (notification.suffix === undefined || key.endsWith(notification.suffix))
  );
}

/** The message S3 sends a queue for a created object (event structure version 2.1). */
export function objectCreatedEvent(input: ObjectCreatedEventInput): { Records: unknown[] } {
  const sequencer = input.time.getTime().toString(16).toUpperCase().padStart(16, '0');
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: input.region,
        eventTime: input.time.toISOString(),
        eventName: input.eventName,
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': sequencer, 'x-amz-id-2': sequencer },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: input.configurationId,
          bucket: { name: input.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${input.bucket}` },
          object: { key: eventKey(input.key), size: input.size, eTag: input.eTag.replace(/"/g, ''), sequencer },
        },
      },
    ],
  };
}

/**
 * What the object-creating requests to fauxqs turn into: for each
 * notification of the template that matches, the AWS-shaped event, sent to
 * its queue, as S3 would. Errors are reported, not thrown: S3 itself never
 * fails an upload because a notification could not be sent.
 */
export function bucketNotifier(context: {
  readonly model: Pick<LocalModel, 'bucketNotifications' | 'queueByArn' | 'region'>;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly onError: (error: unknown, created: CreatedObjectRequest) => void;
}): (created: CreatedObjectRequest) => Promise<void> {
  return async (created) => {
    const matching = context.model.bucketNotifications.filter((n) => notificationMatches(n, created.bucket, created.eventName, created.key));
    if (matching.length === 0) return;
    try {
      const head = await context.s3.send(new HeadObjectCommand({ Bucket: created.bucket, Key: created.key }));
      for (const notification of matching) {
        const queue = context.model.queueByArn(notification.queueArn);
        if (!queue) continue;
        const event = objectCreatedEvent({
          ...created,
          region: context.model.region,
          size: head.ContentLength ?? 0,
          eTag: head.ETag ?? '',
          time: new Date(),
          configurationId: notification.id,
        });
        await context.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(event) }));
      }
    } catch (error) {
      context.onError(error, created);
    }
  };
}

/** The form field `key` of a multipart/form-data body (a presigned POST names its object there). */
export function formKeyOf(body: Buffer, contentType: string): string | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  // Fields come before the file, which is last: the text before the file part is enough.
  const text = body.toString('latin1');
  for (const part of text.split(delimiter)) {
    const match = /^\r\nContent-Disposition:\s*form-data;\s*name="key"\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n$/i.exec(part);
    if (match) return Buffer.from(match[1]!, 'latin1').toString('utf8');
  }
  return undefined;
}

/**
 * The object an S3 request to the local engine created, told from its
 * method, path-style URL and body; undefined for any other request.
 */
export function createdObjectOf(request: {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}): CreatedObjectRequest | undefined {
  const url = new URL(request.url, 'http://local');
  const [bucketSegment, ...keySegments] = url.pathname.slice(1).split('/');
  if (!bucketSegment) return undefined;
  const bucket = decodeURIComponent(bucketSegment);
  const key = keySegments.map(decodeURIComponent).join('/');
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method === 'POST' && key === '' && contentType.toLowerCase().includes('multipart/form-data') && Buffer.isBuffer(request.body)) {
    const formKey = formKeyOf(request.body, contentType);
    return formKey === undefined ? undefined : { bucket, key: formKey, eventName: 'ObjectCreated:Post' };
  }
  if (key === '') return undefined;
  if (request.method === 'POST' && url.searchParams.has('uploadId')) return { bucket, key, eventName: 'ObjectCreated:CompleteMultipartUpload' };
  // The SDK adds `x-id`, a presigned URL its `X-Amz-*` parameters; any other parameter is a sub-resource (tagging, acl, a part).
  const subresources = [...url.searchParams.keys()].filter((name) => name !== 'x-id' && !name.toLowerCase().startsWith('x-amz-'));
  if (request.method === 'PUT' && subresources.length === 0) {
    return { bucket, key, eventName: request.headers['x-amz-copy-source'] !== undefined ? 'ObjectCreated:Copy' : 'ObjectCreated:Put' };
  }
  return undefined;
}
