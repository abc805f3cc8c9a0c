import { afterEach, describe, expect, it, vi } from 'vitest';
import { DOCUMENTS_ENV, ENV, GAMES_ENV, INTEGRATIONS_ENV, MEMORY_ENV, resetEnvCache, ROOM_PURGE_ENV } from '../../../lambdas/wiring/env';
import { roomPurgeDeps, roomPurgeQueue } from '../../../lambdas/wiring/room-purge';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

const stubAll = () => {
  vi.stubEnv(ENV.roomsTable, 'rooms');
  vi.stubEnv(ENV.messagesTable, 'messages');
  vi.stubEnv(MEMORY_ENV.table, 'memory');
  vi.stubEnv(ROOM_PURGE_ENV.queueUrl, 'https://sqs.eu-west-1.amazonaws.com/1/room-purge');
  vi.stubEnv(DOCUMENTS_ENV.knowledgeTable, 'knowledge');
  vi.stubEnv(DOCUMENTS_ENV.bucket, 'documents');
  vi.stubEnv(INTEGRATIONS_ENV.table, 'integrations');
  vi.stubEnv(GAMES_ENV.table, 'games');
};

describe('room purge wiring', () => {
  it('builds the worker’s ports from the variables its bindings set', () => {
    stubAll();

    expect(Object.keys(roomPurgeDeps()).sort()).toEqual(['documents', 'games', 'integrations', 'memory', 'messages', 'queue', 'rooms']);
  });

  it.each([ENV.messagesTable, MEMORY_ENV.table, ROOM_PURGE_ENV.queueUrl, DOCUMENTS_ENV.knowledgeTable, DOCUMENTS_ENV.bucket, INTEGRATIONS_ENV.table, GAMES_ENV.table])('fails loudly without %s', (name) => {
    stubAll();
    vi.stubEnv(name, '');

    expect(() => roomPurgeDeps()).toThrow(name);
  });

  it('builds deleteRoom’s queue from the queue URL alone', () => {
    expect(() => roomPurgeQueue()).toThrow(ROOM_PURGE_ENV.queueUrl);
    resetEnvCache();
    vi.stubEnv(ROOM_PURGE_ENV.queueUrl, 'https://sqs.eu-west-1.amazonaws.com/1/room-purge');

    expect(roomPurgeQueue()).toBeDefined();
  });
});
