import { ParleyError } from '../../domain/errors';

/** An object an S3 event notification announced as created. */
export interface CreatedObject {
  readonly bucket: string;
  /** Decoded: S3 URL-encodes keys in notifications, spaces as `+`. */
  readonly key: string;
  readonly size: number;
}

interface S3EventRecord {
  readonly eventName?: unknown;
  readonly s3?: { readonly bucket?: { readonly name?: unknown }; readonly object?: { readonly key?: unknown; readonly size?: unknown } };
}

const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * The created objects an SQS message from an S3 bucket notification names.
 * S3's test event (`s3:TestEvent`, sent when the notification is set up)
 * and other event kinds name none. Throws ParleyError for a body that is not
 * an S3 notification at all: it is retried and dead-lettered, not dropped.
 */
export function createdObjectsOf(body: string): CreatedObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new ParleyError('The queue message is not JSON.', { cause });
  }
  const event = parsed as { Records?: unknown; Event?: unknown } | null;
  if (event?.Event === 's3:TestEvent') return [];
  if (!Array.isArray(event?.Records)) throw new ParleyError('The queue message is not an S3 event notification.');
  return (event.Records as S3EventRecord[]).flatMap((record): CreatedObject[] => {
    const name = record.eventName;
    const bucket = record.s3?.bucket?.name;
    const key = record.s3?.object?.key;
    if (typeof name !== 'string' || !name.startsWith('ObjectCreated:')) return [];
    if (typeof bucket !== 'string' || typeof key !== 'string') throw new ParleyError('An S3 event record names no object.');
    const size = typeof record.s3?.object?.size === 'number' ? record.s3.object.size : 0;
    return [{ bucket, key: decodeKey(key), size }];
  });
}
