import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RETRY_BASE_SECONDS, MAX_RETRY_DELAY_SECONDS } from '../../../lambdas/domain/integrations/webhooks';
import { resetClients } from '../../../lambdas/wiring/clients';
import { resetEnvCache, WEBHOOKS_ENV } from '../../../lambdas/wiring/env';
import { deliverWebhooksDeps, webhookTargetPolicy } from '../../../lambdas/wiring/webhooks';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
  resetClients();
});

const stubTables = () => {
  vi.stubEnv('INTEGRATIONS_TABLE', 'integrations');
  vi.stubEnv(WEBHOOKS_ENV.deliveriesQueueUrl, 'https://sqs.eu-west-1.amazonaws.com/1/deliveries');
};

describe('webhook wiring', () => {
  it('refuses loopback targets unless the local runtime allows them', () => {
    expect(webhookTargetPolicy()).toEqual({ allowLoopback: false });
    resetEnvCache();
    vi.stubEnv(WEBHOOKS_ENV.allowLoopback, 'true');
    expect(webhookTargetPolicy()).toEqual({ allowLoopback: true });
    resetEnvCache();
    vi.stubEnv(WEBHOOKS_ENV.allowLoopback, 'yes');
    expect(() => webhookTargetPolicy()).toThrow(/must be "true" or "false"/);
  });

  it('retries on the production schedule unless told otherwise, never waiting past SQS’s 15 minutes', () => {
    stubTables();
    expect(deliverWebhooksDeps()).toMatchObject({ retryBaseSeconds: DEFAULT_RETRY_BASE_SECONDS, retryMaxSeconds: MAX_RETRY_DELAY_SECONDS });
    resetEnvCache();
    vi.stubEnv(WEBHOOKS_ENV.retryBaseSeconds, '1');
    vi.stubEnv(WEBHOOKS_ENV.retryMaxSeconds, '86400');
    expect(deliverWebhooksDeps()).toMatchObject({ retryBaseSeconds: 1, retryMaxSeconds: MAX_RETRY_DELAY_SECONDS });
  });
});
