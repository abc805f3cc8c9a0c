import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { eventOfPostedMessage } from '../../../../lambdas/domain/events/from-message';
import { eventSchemaFiles, eventSchemaPath } from '../../../../scripts/event-schemas';

const root = join(import.meta.dirname, '../../../..');

describe('the domain events’ JSON Schemas', () => {
  it.each([...eventSchemaFiles()])('%s matches what the zod schema generates (npx tsx scripts/generate-event-schemas.ts)', (path, text) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(text);
  });

  it('accept an event the publisher makes, and refuse one missing its data', () => {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, eventSchemaPath('message.posted', 1)), 'utf8')) as object);
    const event = eventOfPostedMessage(
      { roomId: 'r-1', messageId: 'm-1', senderId: 'u-1', senderName: 'U', senderType: 'human', text: 'hi', createdAt: '2026-12-06T10:00:00.000Z', moderation: 'allowed' },
      undefined,
    );
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, data: undefined })).toBe(false);
  });
});
