import { describe, expect, it } from 'vitest';
import {
  batchesOf,
  FAN_OUT_GROUPS,
  FAN_OUT_MAX_ATTEMPTS,
  fanOutDeduplicationId,
  fanOutGroupId,
  fanOutGroupOf,
  InvalidFanOutJobError,
  isRetryablePostError,
  jobBytes,
  MAX_BATCH_ENTRIES,
  MAX_JOB_BYTES,
  parseFanOutJob,
  planFanOut,
  retryJobOf,
  type FanOutJob,
} from '../../../lambdas/domain/fan-out';
import { MAX_FRAME_BYTES } from '../../../lambdas/domain/frame-budget';

const ids = (count: number, prefix = 'c') => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}AbCdEf=`);
const frame = (textBytes = 20) => JSON.stringify({ type: 'message', roomId: 'r1', message: { text: 'x'.repeat(textBytes) } });
const plan = (connectionIds: readonly string[], shardSize = 250, text = 20) =>
  planFanOut({ roomId: 'r1', messageId: 'M1', frame: frame(text), connectionIds, shardSize });

describe('fanOutGroupOf', () => {
  it('puts a connection in the same group every time, within the group count', () => {
    for (const id of ids(200)) {
      const group = fanOutGroupOf(id);
      expect(fanOutGroupOf(id)).toBe(group);
      expect(group).toBeGreaterThanOrEqual(0);
      expect(group).toBeLessThan(FAN_OUT_GROUPS);
    }
  });

  it('spreads a room’s connections over every group', () => {
    const groups = new Set(ids(2000).map(fanOutGroupOf));

    expect(groups.size).toBe(FAN_OUT_GROUPS);
  });
});

describe('planFanOut', () => {
  it('puts every connection in exactly one job, in its own group', () => {
    const connections = ids(3000);

    const jobs = plan(connections);

    const planned = jobs.flatMap((job) => job.connectionIds);
    expect(planned.sort()).toEqual([...connections].sort());
    for (const job of jobs) {
      for (const id of job.connectionIds) expect(fanOutGroupOf(id)).toBe(job.group);
    }
  });

  it('keeps a connection in the same group for every message of the room, whatever the room’s size', () => {
    const small = plan(ids(40));
    const large = plan(ids(4000));
    const groupIn = (jobs: FanOutJob[], id: string) => jobs.find((job) => job.connectionIds.includes(id))?.group;

    for (const id of ids(40)) expect(groupIn(large, id)).toBe(groupIn(small, id));
  });

  it('cuts a group into shards of at most shardSize, numbered from 0, all at the first attempt', () => {
    const jobs = plan(ids(1000), 10);

    for (const job of jobs) {
      expect(job.connectionIds.length).toBeLessThanOrEqual(10);
      expect(job.attempt).toBe(1);
    }
    const shardsOfGroup0 = jobs.filter((job) => job.group === jobs[0]!.group).map((job) => job.shard);
    expect(shardsOfGroup0).toEqual(shardsOfGroup0.map((_, i) => i));
  });

  it('makes smaller shards for a large frame, so every job stays within SQS’s message size', () => {
    // 40,000 ids of 120 characters, and a frame near API Gateway's 128 KB.
    const jobs = plan(ids(40_000, 'connection-with-a-long-id-'.repeat(4)), 5000, 120_000);

    expect(jobs.length).toBeGreaterThan(FAN_OUT_GROUPS);
    for (const job of jobs) expect(jobBytes(job)).toBeLessThanOrEqual(MAX_JOB_BYTES);
  });

  it('lists a connection once even when it is given twice', () => {
    const jobs = plan(['c1', 'c1', 'c2']);

    expect(jobs.flatMap((job) => job.connectionIds).sort()).toEqual(['c1', 'c2']);
  });

  it('refuses a frame over API Gateway’s message limit', () => {
    expect(() =>
      planFanOut({ roomId: 'r1', messageId: 'M1', frame: 'x'.repeat(MAX_FRAME_BYTES + 1), connectionIds: ['c1'], shardSize: 10 }),
    ).toThrow(/cannot be posted/);
  });
});

describe('fan-out job ids', () => {
  it('groups by room and connection group, and deduplicates by message, group, shard and attempt', () => {
    const job = plan(['c1'])[0]!;

    expect(fanOutGroupId(job)).toBe(`r1#${job.group}`);
    expect(fanOutDeduplicationId(job)).toBe(`M1#${job.group}#0#1`);
    expect(fanOutDeduplicationId({ ...job, attempt: 2 })).not.toBe(fanOutDeduplicationId(job));
  });
});

describe('retryJobOf', () => {
  it('retries only the failed connections, in the same group and shard, at the next attempt', () => {
    const job = plan(ids(5))[0]!;

    expect(retryJobOf(job, [job.connectionIds[0]!])).toEqual({ ...job, attempt: 2, connectionIds: [job.connectionIds[0]] });
  });

  it('retries nothing when nothing failed, or after the last attempt', () => {
    const job = plan(['c1'])[0]!;

    expect(retryJobOf(job, [])).toBeUndefined();
    expect(retryJobOf({ ...job, attempt: FAN_OUT_MAX_ATTEMPTS }, ['c1'])).toBeUndefined();
  });
});

describe('isRetryablePostError', () => {
  const error = (name: string, status?: number) =>
    Object.assign(new Error(name), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }) });

  it('retries throttling, service errors and posts that got no answer', () => {
    expect(isRetryablePostError(error('LimitExceededException', 429))).toBe(true);
    expect(isRetryablePostError(error('InternalServerErrorException', 500))).toBe(true);
    expect(isRetryablePostError(error('TimeoutError'))).toBe(true);
  });

  it('does not retry a refusal that would repeat', () => {
    expect(isRetryablePostError(error('ForbiddenException', 403))).toBe(false);
    expect(isRetryablePostError(error('PayloadTooLargeException', 413))).toBe(false);
    expect(isRetryablePostError(error('FrameTooLargeError'))).toBe(false);
  });
});

describe('batchesOf', () => {
  it('puts at most ten jobs in a request', () => {
    const batches = batchesOf(plan(ids(3000), 10), jobBytes);

    expect(batches.every((batch) => batch.length <= MAX_BATCH_ENTRIES)).toBe(true);
    expect(batches.flat()).toHaveLength(batches.flat().length);
  });

  it('keeps each request within SQS’s total size, in order', () => {
    const jobs = plan(ids(2000, 'long-connection-id-'.repeat(3)), 500, 30_000);

    const batches = batchesOf(jobs, jobBytes);

    expect(batches.flat()).toEqual(jobs);
    for (const batch of batches) expect(batch.reduce((sum, job) => sum + jobBytes(job), 0)).toBeLessThanOrEqual(MAX_JOB_BYTES);
  });
});

describe('parseFanOutJob', () => {
  it('reads back a planned job', () => {
    const job = plan(['c1'])[0]!;

    expect(parseFanOutJob(JSON.stringify(job))).toEqual(job);
  });

  it('refuses what is not a fan-out job', () => {
    expect(() => parseFanOutJob('not json')).toThrow(InvalidFanOutJobError);
    expect(() => parseFanOutJob(JSON.stringify({ roomId: 'r1' }))).toThrow(InvalidFanOutJobError);
    const job = plan(['c1'])[0]!;
    expect(() => parseFanOutJob(JSON.stringify({ ...job, connectionIds: [] }))).toThrow(InvalidFanOutJobError);
    expect(() => parseFanOutJob(JSON.stringify({ ...job, group: FAN_OUT_GROUPS }))).toThrow(InvalidFanOutJobError);
  });
});
