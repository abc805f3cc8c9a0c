import { describe, expect, it, vi } from 'vitest';
import { MAX_REPORTED_FAILURES, type DeliveryReport } from '../../../lambdas/domain/delivery';
import { reportDelivery, withDeliveryReported } from '../../../lambdas/shared/delivery-report';
import { logger, metrics } from '../../../lambdas/shared/observability';

const failing = (failed: number): DeliveryReport => ({
  recipients: failed + 1,
  delivered: 1,
  gone: 0,
  failed,
  failures: Array.from({ length: Math.min(failed, MAX_REPORTED_FAILURES) }, (_, i) => ({ connectionId: `c-${i}`, status: 403, error: 'ForbiddenException' })),
});

describe('reportDelivery', () => {
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
