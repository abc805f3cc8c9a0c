/**
 * `npm run bench [-- <name>…]`: runs Parley's benchmarks (all by default) and
 * prints each one's figures as a markdown table. docs/benchmarks.md records
 * the figures measured, with the command and date.
 */
import { formatRequestCounts, measureDynamoDbRequests } from './bench/dynamodb-requests';
import { formatDynamoDbLocalCost, measureDynamoDbLocalCost } from './bench/dynamodb-local-cost';
import { formatRealtime, runRealtimeBenchmark } from './bench/realtime';
import { formatRequestsPerMessage, measureRequestsPerMessage } from './bench/requests-per-message';
import { defaultFanOutScenario, formatFanOut, runFanOutBenchmark } from './bench/fan-out';
import { formatMemoryRecall, runMemoryRecallBenchmark } from './bench/memory-recall';
import { formatMemorySessions, runMemorySessionsBenchmark } from './bench/memory-sessions';
import { formatModeration, measureRedactionLatency, scoreDetectors } from './bench/moderation';
import { formatAgents, runAgentsBenchmark } from './bench/agents';
import { formatModelCircuit, runModelCircuitBenchmark } from './bench/model-circuit';
import { formatArchive, runArchiveBenchmark } from './bench/archive';
import { formatCost, perMessage, runCostBenchmark } from './bench/cost';
import { formatPeople, runPeopleBenchmark } from './bench/people';
import { formatRoomAdmin, runRoomAdminBenchmark } from './bench/room-admin';
import { formatGamesPurge, runGamesPurgeBenchmark } from './bench/games-purge';
import { formatMessageEdits, measureMessageEdits } from './bench/message-edits';
import { formatHeldQueue, runHeldQueueBenchmark } from './bench/held-queue';
import { runPresenceBenchmark } from './bench/presence';
import { formatHeartbeat, runHeartbeatBenchmark } from './bench/heartbeat';
import { formatKnowledge, runKnowledgeBenchmark } from './bench/knowledge';
import { formatDocuments, runDocumentsBenchmark } from './bench/documents';
import { formatSpecsBundle, runSpecsBundleBenchmark } from './bench/specs';
import { formatEvents, runEventsBenchmark } from './bench/events';
import { formatWebhooks, runWebhooksBenchmark } from './bench/webhooks';
import { formatWidget, runWidgetBenchmark } from './bench/widget';
import { formatHttpPost, runHttpPostBenchmark } from './bench/http-post';
import { formatImposter, runImposterBenchmark } from './bench/imposter';
import { formatDialogue, runDialogueBenchmark } from './bench/dialogue';

interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(log: (line: string) => void): Promise<string>;
}

const benchmarks: readonly Benchmark[] = [
  {
    name: 'imposter',
    title: 'Imposter rounds on the local runtime: requests per round, and concurrent votes to the round’s end against a sendMessage ack',
    run: async (log) => formatImposter(await runImposterBenchmark(undefined, log)),
  },
  {
    name: 'dialogue',
    title: 'Guided dialogues: a turn answered by the offline model, against a chat message delivered',
    run: async (log) => formatDialogue(await runDialogueBenchmark(undefined, log)),
  },
  {
    name: 'http-post',
    title: 'HTTP API: post-to-delivery latency of a POST with an API key, against a WebSocket sendMessage',
    run: async (log) => formatHttpPost(await runHttpPostBenchmark(undefined, log)),
  },
  {
    name: 'realtime',
    title: 'Realtime fan-out on the local runtime, against a plain ws broadcast',
    run: async (log) => formatRealtime(await runRealtimeBenchmark(undefined, log)),
  },
  {
    name: 'requests-per-message',
    title: 'Requests per sent message on the local runtime: DynamoDB, SQS, invocations and posts, counted',
    run: async (log) => formatRequestsPerMessage(await measureRequestsPerMessage(undefined, log)),
  },
  {
    name: 'room-admin',
    title: 'Room administration by room size: rename, preview, search, deletion',
    run: async () => formatRoomAdmin(await runRoomAdminBenchmark()),
  },
  {
    name: 'games-purge',
    title: 'A deleted room’s game data: requests and time of its purge, against as many items in one partition',
    run: async () => formatGamesPurge(await runGamesPurgeBenchmark()),
  },
  {
    name: 'fan-out',
    title: 'Sharded fan-out: one room of thousands of sockets, sharded against synchronous delivery',
    run: async (log) => {
      const scenario = defaultFanOutScenario();
      return formatFanOut(await runFanOutBenchmark(scenario, log), scenario);
    },
  },
  {
    name: 'dynamodb-local-cost',
    title: 'DynamoDB Local’s CPU per request, by the requests one chat message makes, against a plain PutItem',
    run: async (log) => formatDynamoDbLocalCost(await measureDynamoDbLocalCost(log)),
  },
  {
    name: 'dynamodb-requests',
    title: 'DynamoDB requests made by one sendMessage',
    run: async () => formatRequestCounts(await measureDynamoDbRequests()),
  },
  {
    name: 'message-edits',
    title: 'DynamoDB requests of sending with a mention, editing and deleting, and the time of an edit',
    run: async () => formatMessageEdits(await measureMessageEdits()),
  },
  {
    name: 'held-queue',
    title: 'The review queue: its held markers against paging the whole history',
    run: async () => formatHeldQueue(await runHeldQueueBenchmark()),
  },
  {
    name: 'memory-recall',
    title: 'Room memory recall: late questions about early facts, against window-only and same-budget baselines',
    run: async () =>
      `${formatMemoryRecall(await runMemoryRecallBenchmark())}\n\n` +
      `Multi-session rooms, by kind of question:\n\n${formatMemorySessions(await runMemorySessionsBenchmark())}`,
  },
  {
    name: 'moderation',
    title: 'Moderation: send to redacted delivery on the local runtime, and detector precision and recall',
    run: async (log) => formatModeration(await scoreDetectors(), await measureRedactionLatency(100, log)),
  },
  {
    name: 'agents',
    title: 'Agents: send to first streamed delta at another member, and posts per reply against one post per token',
    run: async (log) => formatAgents(await runAgentsBenchmark(undefined, log)),
  },
  {
    name: 'model-circuit',
    title: 'A failing model: send to the unavailable notice with its circuit closed (retries) and open (fail fast)',
    run: async (log) => formatModelCircuit(await runModelCircuitBenchmark(undefined, log)),
  },
  {
    name: 'archive',
    title: 'Message archive: consumer throughput, S3 objects per 1,000 expired messages, and the send path’s policy reads',
    run: async (log) => formatArchive(await runArchiveBenchmark(log)),
  },
  {
    name: 'presence',
    title: 'Presence: DynamoDB requests and latency of $connect and $disconnect by rooms of the user, and typing frames in a 100-member room',
    run: (log) => runPresenceBenchmark(log),
  },
  {
    name: 'heartbeat',
    title: 'Heartbeat: the round trip of ping against listRooms (limit 1), the keep-alive it replaced',
    run: async (log) => formatHeartbeat(await runHeartbeatBenchmark(log)),
  },
  {
    name: 'cost',
    title: 'Cost per message: Lambda, DynamoDB and API Gateway units by room size and agents',
    run: async (log) => formatCost((await runCostBenchmark(undefined, log)).map(perMessage)),
  },
  {
    name: 'people',
    title: 'Finding people: findUsers latency with 10,000 profiles on the byName index',
    run: async (log) => formatPeople(await runPeopleBenchmark(undefined, log)),
  },
  {
    name: 'knowledge',
    title: 'Documents index: ingestion pages per second and cost, retrieval at 10,000 chunks, grounding against BM25+ alone',
    run: async (log) => formatKnowledge(await runKnowledgeBenchmark(log)),
  },
  {
    name: 'documents',
    title: 'Room documents on the local runtime: the upload grant, the pipeline from the POST to the last status and opening a cited passage, against listDocuments',
    run: async (log) => formatDocuments(await runDocumentsBenchmark(log)),
  },
  {
    name: 'specs',
    title: 'The Specs function: bundled JSON against generating the documents at cold start, with a baseline',
    run: async (log) => formatSpecsBundle(await runSpecsBundleBenchmark(log)),
  },
  {
    name: 'events',
    title: 'Domain events: publication cost per event, and the local EventBridge endpoint against a plain HTTP server',
    run: async () => formatEvents(await runEventsBenchmark()),
  },
  {
    name: 'webhooks',
    title: 'Webhooks on the local runtime: delivery latency from the event on the queue to the receiver, against a direct POST, and retry timing against the schedule',
    run: async (log) => formatWebhooks(await runWebhooksBenchmark(undefined, log)),
  },
  {
    name: 'widget',
    title: 'The embeddable widget: gzipped size and time to first message on a host page, against the full web client',
    run: async (log) => formatWidget(await runWidgetBenchmark(log)),
  },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`  ${line}\n`);
const os = await import('node:os');
process.stdout.write(
  `Parley benchmarks, ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${os.cpus().length} cores, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at start\n\n`,
);
for (const benchmark of benchmarks.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  process.stderr.write(`${benchmark.name}…\n`);
  const table = await benchmark.run(log);
  process.stdout.write(`## ${benchmark.title}\n\n${table}\n\n`);
}
