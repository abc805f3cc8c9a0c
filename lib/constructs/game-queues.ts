import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm } from './alarm-topic';

/** The imposter worker's timeout: one model call for a line, or ending a round. */
export const IMPOSTER_WORKER_TIMEOUT = Duration.seconds(30);
/** The dialogue worker's timeout: a model call, its one retry, and the writes. */
export const DIALOGUE_WORKER_TIMEOUT = Duration.seconds(90);
/** Deliveries of a game job before SQS moves it to its dead-letter queue. */
export const GAME_JOBS_MAX_RECEIVE_COUNT = 3;

export interface GameQueuesProps {
  readonly removalPolicy: RemovalPolicy;
  /** Where the dead-letter alarms notify. */
  readonly alarmTopic: ITopic;
}

/**
 * The games' queued work (lambdas/domain/games/jobs.ts): the imposter's
 * jobs (the AI's next line, each round's end, delayed per message so a
 * round ends on time with nobody acting) and the dialogues' (answering a
 * turn, resolving). Standard queues: each job checks the stored state
 * before acting, so one delivered twice does nothing twice. Jobs hold ids
 * only, never text, so SQS-managed encryption is enough. Each has a
 * dead-letter queue with an alarm on its first message.
 */
export class GameQueues extends Construct {
  readonly imposterJobs: Queue;
  readonly imposterDeadLetters: Queue;
  readonly dialogueJobs: Queue;
  readonly dialogueDeadLetters: Queue;
  readonly deadLetterAlarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: GameQueuesProps) {
    super(scope, id);
    const common = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: props.removalPolicy } as const;
    const pair = (name: string, timeout: Duration, lost: string) => {
      const deadLetters = new Queue(this, `${name}DeadLetters`, { ...common, retentionPeriod: Duration.days(14) });
      const jobs = new Queue(this, name, {
        ...common,
        // SQS's guidance for a Lambda-consumed queue: six times the function's timeout.
        visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
        // A round lasts at most 15 minutes and a dialogue turn is waited for: old jobs are of no use.
        retentionPeriod: Duration.days(1),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: GAME_JOBS_MAX_RECEIVE_COUNT },
      });
      const alarm = deadLetterAlarm(this, `${name}DeadLettersAlarm`, deadLetters, lost, props.alarmTopic);
      return { jobs, deadLetters, alarm };
    };
    const imposter = pair(
      'ImposterJobs',
      IMPOSTER_WORKER_TIMEOUT,
      'Imposter jobs failed for good: a hidden AI missed its line or a round did not end on time (each job names the room and round).',
    );
    const dialogue = pair(
      'DialogueJobs',
      DIALOGUE_WORKER_TIMEOUT,
      'Dialogue jobs failed for good: a player’s turn went unanswered or a dialogue was not resolved (each job names the room and dialogue).',
    );
    this.imposterJobs = imposter.jobs;
    this.imposterDeadLetters = imposter.deadLetters;
    this.dialogueJobs = dialogue.jobs;
    this.dialogueDeadLetters = dialogue.deadLetters;
    this.deadLetterAlarms = [imposter.alarm, dialogue.alarm];
  }
}
