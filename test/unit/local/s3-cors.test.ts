import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCloudAssembly } from '../../../scripts/local/assembly';
import { ensureBucket, type FauxqsEngine, startFauxqs } from '../../../scripts/local/engines/fauxqs';
import { bucketOfPath, corsAnswer } from '../../../scripts/local/engines/s3-cors';
import type { LocalBucket, LocalCorsRule } from '../../../scripts/local/model';
import { buildModel } from '../../../scripts/local/model/build-model';

const uploads: LocalCorsRule = {
  AllowedOrigins: ['http://127.0.0.1:*'],
  AllowedMethods: ['POST'],
  AllowedHeaders: ['*'],
  ExposedHeaders: ['ETag'],
  MaxAge: 3000,
};

describe('corsAnswer', () => {
  it('allows a preflight whose origin, method and headers a rule allows, naming the origin', () => {
    const answer = corsAnswer([uploads], {
      method: 'OPTIONS',
      origin: 'http://127.0.0.1:3000',
      requestMethod: 'POST',
      requestHeaders: 'content-type, x-custom',
    });

    expect(answer).toEqual({
      allowed: true,
      headers: expect.objectContaining({
        'access-control-allow-origin': 'http://127.0.0.1:3000',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, x-custom',
        'access-control-max-age': '3000',
      }),
    });
  });

  it('refuses a preflight from another origin or for another method', () => {
    expect(corsAnswer([uploads], { method: 'OPTIONS', origin: 'https://elsewhere.example', requestMethod: 'POST' })?.allowed).toBe(false);
    expect(corsAnswer([uploads], { method: 'OPTIONS', origin: 'http://127.0.0.1:3000', requestMethod: 'DELETE' })?.allowed).toBe(false);
  });

  it('refuses a requested header no rule allows', () => {
    const strict: LocalCorsRule = { ...uploads, AllowedHeaders: ['Content-*'] };

    expect(corsAnswer([strict], { method: 'OPTIONS', origin: 'http://127.0.0.1:1', requestMethod: 'POST', requestHeaders: 'content-type' })?.allowed).toBe(true);
    expect(corsAnswer([strict], { method: 'OPTIONS', origin: 'http://127.0.0.1:1', requestMethod: 'POST', requestHeaders: 'authorization' })?.allowed).toBe(false);
  });

  it('answers * for a rule that allows any origin, and exposes its headers on the request itself', () => {
    const answer = corsAnswer([{ ...uploads, AllowedOrigins: ['*'] }], { method: 'POST', origin: 'https://any.example' });

    expect(answer?.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' });
    expect(answer?.headers).not.toHaveProperty('access-control-allow-methods');
  });

  it('gives no answer to a request without an origin', () => {
    expect(corsAnswer([uploads], { method: 'POST', origin: undefined })).toBeUndefined();
  });
});

describe('bucketOfPath', () => {
  it('reads the bucket of a path-style request', () => {
    expect(bucketOfPath('/docs-bucket/rooms/a%20b?x=1')).toBe('docs-bucket');
    expect(bucketOfPath('/')).toBeUndefined();
  });
});

describe('the CORS rules of the template', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'parley-s3-cors-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('are read onto the local bucket', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Docs');
    new Bucket(stack, 'Bucket', { cors: [{ allowedMethods: [HttpMethods.POST], allowedOrigins: ['*'], maxAge: 3000 }] });
    new Bucket(stack, 'Plain');
    app.synth();

    const model = buildModel(readCloudAssembly(outdir), { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: 'http://127.0.0.1:4000' });

    expect(model.buckets.map((bucket) => bucket.cors)).toEqual(
      expect.arrayContaining([[{ AllowedMethods: ['POST'], AllowedOrigins: ['*'], MaxAge: 3000 }], []]),
    );
  });
});

describe('the local S3 engine', () => {
  let engine: FauxqsEngine;
  const docs: LocalBucket = { key: 'Docs/Bucket', name: 'docs', cors: [uploads] };
  const plain: LocalBucket = { key: 'Docs/Plain', name: 'plain', cors: [] };

  beforeAll(async () => {
    engine = await startFauxqs({ port: 0, region: 'us-east-1' });
    await ensureBucket(engine.s3, docs);
    await ensureBucket(engine.s3, plain);
    engine.useBucketCors([docs, plain]);
  });
  afterAll(() => engine.stop());

  const preflight = (bucket: string, origin: string) =>
    fetch(`${engine.endpoint}/${bucket}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('answers a preflight the bucket’s rules allow', async () => {
    const response = await preflight('docs', 'http://127.0.0.1:3000');

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
  });

  it('refuses a preflight from an origin the rules do not allow, and any for a bucket without rules', async () => {
    expect((await preflight('docs', 'https://elsewhere.example')).status).toBe(403);
    expect((await preflight('plain', 'http://127.0.0.1:3000')).status).toBe(403);
  });

  it('names the allowed origin on the form POST’s response', async () => {
    const form = new FormData();
    form.set('key', 'rooms/r/doc.md');
    form.set('file', new Blob(['# Notes']), 'doc.md');

    const response = await fetch(`${engine.endpoint}/docs`, { method: 'POST', body: form, headers: { origin: 'http://127.0.0.1:3000' } });

    expect(response.ok).toBe(true);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
  });
});
