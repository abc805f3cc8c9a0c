import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_REPORTED_FAILURES, type DeliveryReport } from '../../../lambdas/domain/delivery';
import { reportDelivery, withDeliveryReported } from '../../../lambdas/shared/delivery-report';
import { logger, metrics } from '../../../lambdas/shared/observability';
import { ENV, resetEnvCache } from '../../../lambdas/wiring/env';

const failing = (failed: number): DeliveryReport => ({
  recipients: failed + 1,
  delivered: 1,
  gone: 0,
  failed,
  failures: Array.from({ length: Math.min(failed, MAX_REPORTED_FAILURES) }, (_, i) => ({ connectionId: `c-${i}`, status: 403, error: 'ForbiddenException' })),
});

describe('reportDelivery', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("names the management endpoint's host the failed posts went to", () => {
    vi.stubEnv(ENV.managementEndpoint, 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
    resetEnvCache();
    const warn = vi.spyOn(logger, 'warn');

    reportDelivery(failing(2), { roomId: 'r1' });

    expect(warn).toHaveBeenCalledWith(
      'posts failed',
      expect.objectContaining({ endpointHost: 'abc123.execute-api.eu-west-1.amazonaws.com', failed: 2 }),
    );
  });

  it('leaves the host out when the function has no management endpoint', () => {
    vi.stubEnv(ENV.managementEndpoint, '');
    resetEnvCache();
    const warn = vi.spyOn(logger, 'warn');

    reportDelivery(failing(1));

    expect(warn).toHaveBeenCalledWith('posts failed', expect.objectContaining({ failed: 1 }));
    expect(warn.mock.calls[0]?.[1]).not.toHaveProperty('endpointHost');
  });

  it('logs failed posts at WARN with their reasons and counts them all', () => {
    const warn = vi.spyOn(logger, 'warn');
    const addMetric = vi.spyOn(metrics, 'addMetric');

    reportDelivery(failing(1000), { roomId: 'r1' });

    expect(warn).toHaveBeenCalledWith(
      'posts failed',
      expect.objectContaining({ roomId: 'r1', recipients: 1001, failed: 1000, failures: failing(1000).failures }),
    );
    expect(addMetric).toHaveBeenCalledWith('PostsFailed', 'Count', 1000);
  });

  it('says nothing when no post failed', () => {
    const warn = vi.spyOn(logger, 'warn');
    const addMetric = vi.spyOn(metrics, 'addMetric');

    reportDelivery({ recipients: 2, delivered: 1, gone: 1, failed: 0, failures: [] });
    reportDelivery(undefined);

    expect(warn).not.toHaveBeenCalled();
    expect(addMetric).not.toHaveBeenCalled();
  });
});

describe('withDeliveryReported', () => {
  it("answers with the action's result without its report, and reports it", async () => {
    const warn = vi.spyOn(logger, 'warn');

    const data = await withDeliveryReported(Promise.resolve({ roomId: 'r1', delivery: failing(1) }), { roomId: 'r1' });

    expect(data).toEqual({ roomId: 'r1' });
    expect(warn).toHaveBeenCalledWith('posts failed', expect.objectContaining({ failed: 1 }));
  });
});
