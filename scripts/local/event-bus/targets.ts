import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalModel } from '../model';
import type { LocalEventRule, LocalRuleTarget } from '../model/event-rules';
import type { Deliver } from './event-bus';

/** Attempts at a target before its event goes to the target's dead-letter queue (EventBridge retries for 24 hours). */
const ATTEMPTS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TargetContext {
  readonly model: Pick<LocalModel, 'functionByArn' | 'queueByArn'>;
  /** Invokes a function asynchronously (the pool's invoke, awaited here only to retry a failure). */
  readonly invoke: (functionKey: string, event: unknown) => Promise<unknown>;
  readonly sqs: SQSClient;
}

/**
 * Hands events to rule targets as EventBridge does: a Lambda function is
 * invoked asynchronously with the event, an SQS queue (the template's, or one
 * made at run time) receives it as the message body. A target that keeps
 * failing sends the event to its dead-letter queue when it has one, and
 * throws otherwise, for the runtime to report.
 */
export function targetDelivery(context: TargetContext): Deliver {
  const urls = new Map<string, string>();
  const queueUrlOf = async (arn: string): Promise<string> => {
    const known = context.model.queueByArn(arn)?.url ?? urls.get(arn);
    if (known !== undefined) return known;
    const { QueueUrl } = await context.sqs.send(new GetQueueUrlCommand({ QueueName: arn.split(':').at(-1) ?? '' }));
    if (QueueUrl === undefined) throw new Error(`No queue ${arn}.`);
    urls.set(arn, QueueUrl);
    return QueueUrl;
  };
  const sendTo = async (arn: string, payload: unknown) =>
    context.sqs.send(new SendMessageCommand({ QueueUrl: await queueUrlOf(arn), MessageBody: JSON.stringify(payload) }));

  const once = async (target: LocalRuleTarget, payload: unknown): Promise<void> => {
    const [, , service] = target.Arn.split(':');
    if (service === 'sqs') {
      await sendTo(target.Arn, payload);
      return;
    }
    if (service === 'lambda') {
      const fn = context.model.functionByArn(target.Arn.replace(/:(\$LATEST|\d+)$/, ''));
      if (fn === undefined) throw new Error(`No function ${target.Arn} in the template.`);
      await context.invoke(fn.key, payload);
      return;
    }
    throw new Error(`Targets of ${service ?? 'unknown'} are not delivered locally (Lambda and SQS are).`);
  };

  return async (target: LocalRuleTarget, payload: unknown, rule: LocalEventRule) => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      try {
        await once(target, payload);
        return;
      } catch (error) {
        lastError = error;
        if (attempt < ATTEMPTS) await sleep(100 * 2 ** attempt);
      }
    }
    const dlq = target.DeadLetterConfig?.Arn;
    if (dlq === undefined) throw lastError;
    await sendTo(dlq, payload);
    throw new Error(`Rule ${rule.name} target ${target.Id} failed ${ATTEMPTS} times; the event went to its dead-letter queue.`, { cause: lastError });
  };
}
