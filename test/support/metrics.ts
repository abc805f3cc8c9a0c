import type { Metrics } from '@aws-lambda-powertools/metrics';
import { vi } from 'vitest';

/** A metric a function flushed on its own (Powertools' singleMetric), with its extra dimensions. */
export interface SingleMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * Records what `metrics.singleMetric()` emits instead of emitting it: each
 * metric with the dimensions added before it. The spy is restored after
 * each test (restoreMocks).
 */
export function recordSingleMetrics(metrics: Metrics): SingleMetric[] {
  const recorded: SingleMetric[] = [];
  vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const dimensions: Record<string, string> = {};
    const single = {
      addDimension: (name: string, value: string) => {
        dimensions[name] = value;
        return single;
      },
      addMetric: (name: string, _unit: string, value: number) => {
        recorded.push({ name, value, dimensions: { ...dimensions } });
        return single;
      },
    };
    return single as unknown as Metrics;
  });
  return recorded;
}
