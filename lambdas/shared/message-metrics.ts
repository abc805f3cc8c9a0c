import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ErrorCode } from '../domain/errors';
import type { FinalModerationState } from '../domain/message';
import { metrics } from './observability';

/** Whose message moderation decided on: a person's (sendMessage) or an agent's reply (the moderation consumer). */
export type ModeratedSender = 'person' | 'agent' | 'integration';

/**
 * Counts a moderation decision as `MessagesModerated`, split by `sender` and
 * `decision`: both bounded, so each gets its own dimension (one metric
 * object, flushed at once, so they never mix with the invocation's other
 * metrics). Never a room or user dimension.
 */
export function countModeration(sender: ModeratedSender, decision: FinalModerationState): void {
  const single = metrics.singleMetric();
  single.addDimension('sender', sender);
  single.addDimension('decision', decision);
  single.addMetric('MessagesModerated', MetricUnit.Count, 1);
}

/** Counts a message refused before it was stored as `MessagesRejected`, by `reason`: the error code the client got. */
export function countRejection(reason: ErrorCode): void {
  const single = metrics.singleMetric();
  single.addDimension('reason', reason);
  single.addMetric('MessagesRejected', MetricUnit.Count, 1);
}
