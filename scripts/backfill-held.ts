/**
 * Lists, in their rooms' review queues, the messages a deployment held for
 * review before the queue existed (see docs/moderation.md). Run once with
 * the deployment's AWS credentials and the two tables' names:
 *
 *   npx tsx scripts/backfill-held.ts <messages table> <moderation table>
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoHeldQueue } from '../lambdas/adapters/dynamodb/held-queue';
import { backfillHeldMarkers } from '../lambdas/adapters/dynamodb/held-backfill';

const [messagesTable, moderationTable] = process.argv.slice(2);
if (messagesTable === undefined || moderationTable === undefined) {
  console.error('Usage: npx tsx scripts/backfill-held.ts <messages table> <moderation table>');
  process.exit(2);
}
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
backfillHeldMarkers(client, messagesTable, new DynamoHeldQueue(client, moderationTable))
  .then(({ scanned, held }) => console.log(`Scanned ${scanned} items; ${held} held messages are in their review queues.`))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
