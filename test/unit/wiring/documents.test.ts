import { afterEach, describe, expect, it, vi } from 'vitest';
import { documentActionDeps, ingestionDeps, ingestionMaxReceiveCount } from '../../../lambdas/wiring/documents';
import { DOCUMENTS_ENV, ENV, resetEnvCache } from '../../../lambdas/wiring/env';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

const stubAll = () => {
  vi.stubEnv(ENV.roomsTable, 'rooms');
  vi.stubEnv(ENV.connectionsTable, 'connections');
  vi.stubEnv(ENV.auditTable, 'audit');
  vi.stubEnv(ENV.managementEndpoint, 'https://abc.execute-api.eu-west-1.amazonaws.com/prod');
  vi.stubEnv(DOCUMENTS_ENV.knowledgeTable, 'knowledge');
  vi.stubEnv(DOCUMENTS_ENV.bucket, 'documents');
};

describe('documents wiring', () => {
  it('builds the actions’ and the ingestion’s ports from the variables their bindings set', () => {
    stubAll();
    vi.stubEnv(DOCUMENTS_ENV.uploadSeconds, '120');
    vi.stubEnv(DOCUMENTS_ENV.maxReceiveCount, '3');

    expect(documentActionDeps().uploadSeconds).toBe(120);
    expect(Object.keys(ingestionDeps()).sort()).toEqual(['clock', 'connections', 'documents', 'gateway', 'indexer', 'rooms', 'store']);
    expect(ingestionMaxReceiveCount()).toBe(3);
  });

  it.each([DOCUMENTS_ENV.knowledgeTable, DOCUMENTS_ENV.bucket])('fails loudly without %s', (name) => {
    stubAll();
    vi.stubEnv(name, '');

    expect(() => ingestionDeps()).toThrow(name);
  });
});
