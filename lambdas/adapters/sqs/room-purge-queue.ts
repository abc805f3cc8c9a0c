import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { purgeJobDelaySeconds, type RoomPurgeJob, type RoomPurgeQueue } from '../../domain/room-purge';

/**
 * The room-purge queue (a standard queue: purge jobs need no order, and a
 * job delivered twice is harmless). A job is a few hundred bytes of ids.
 * A room's first job is delayed (purgeJobDelaySeconds).
 */
export class SqsRoomPurgeQueue implements RoomPurgeQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: RoomPurgeJob): Promise<void> {
    const delay = purgeJobDelaySeconds(job);
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        ...(delay > 0 ? { DelaySeconds: delay } : {}),
      }),
    );
  }
}
