import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';
import { until } from '../support/wait';

const FAILING_MODEL = 'parley.offline-unavailable';
/** Two failed jobs open the circuit here; the cool-down is short, but longer than a mention takes to reach the worker. */
const CIRCUIT_ENV = { AGENT_CIRCUIT_FAILURES: '2', AGENT_CIRCUIT_COOL_DOWN_MS: '15000' };

interface LogLine {
  readonly message?: string;
  readonly [key: string]: unknown;
}

/**
 * A failing model's circuit through Parley's front door: an agent on the
 * offline model that is always throttled, driven over WebSockets. The
 * worker's own log lines (the runtime's function log) tell whether a job
 * called the model; the circuit's item in the connections table tells its
 * state.
 */
describe('a failing model’s circuit on the local runtime', { timeout: 90_000 }, () => {
  let parley: LocalParleyProcess;
  let sqs: SQSClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    parley = await startLocalParley({ env: { PARLEY_FUNCTION_ENV: JSON.stringify(CIRCUIT_ENV) } });
    const engine = { region: parley.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    sqs = new SQSClient({ ...engine, endpoint: parley.sqsEndpoint });
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...engine, endpoint: parley.dynamoDbEndpoint }));
  });

  afterAll(async () => {
    sqs?.destroy();
    documents?.destroy();
    await parley?.stop();
  });

  /** The functions' JSON log lines so far. */
  const logLines = (): LogLine[] => {
    const file = join(parley.dataDir, 'functions.log');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LogLine];
        } catch {
          return [];
        }
      });
  };
  const jobDone = (messageId: string) => until(async () => logLines().find((l) => l.message === 'agent job done' && l['messageId'] === messageId), Boolean, 20_000);

  const circuitItem = async () => {
    const table = Object.entries(parley.tables).find(([key]) => /connection/i.test(key))?.[1];
    const { Item } = await documents.send(
      new GetCommand({ TableName: table, Key: { pk: `MODELCIRCUIT#${FAILING_MODEL}`, sk: 'CIRCUIT' }, ConsistentRead: true }),
    );
    return Item;
  };

  it('opens after two failed jobs, then refuses mentions at once without calling the model, and probes after the cool-down', async () => {
    const gina = await parley.connect('gina');
    const hank: TestClient = await parley.connect('hank');
    const { room } = await gina.ok<{ room: { roomId: string } }>('createRoom', { name: 'failing model' });
    await hank.ok('joinRoom', { roomId: room.roomId });
    await gina.ok('addAgent', { roomId: room.roomId, agent: { handle: 'flaky', modelId: FAILING_MODEL } });
    const notices = () => hank.frames.filter((f: Frame) => f.type === 'notice' && f['roomId'] === room.roomId);

    // The first mention's first delivery fails (one failure) and its second opens the circuit:
    // the room is told then, rather than after a third delivery.
    const first = await gina.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, text: '@flaky are you there?', clientMessageId: 'm1' });
    await hank.waitFor((f) => f.type === 'notice' && f['messageId'] === first.messageId, 45_000);
    expect(await jobDone(first.messageId)).toMatchObject({ outcome: 'unavailable', reason: 'circuitOpen' });
    const opened = await circuitItem();
    expect(opened).toMatchObject({ state: 'open', entity: 'modelCircuit' });

    // While it is open, a mention gets its notice without a model call.
    const second = await gina.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, text: '@flaky now?', clientMessageId: 'm2' });
    const refused = await hank.waitFor((f) => f.type === 'notice' && f['messageId'] === second.messageId, 20_000);
    expect(refused).toMatchObject({ code: 'AGENT_UNAVAILABLE', text: expect.stringContaining('@flaky') });
    expect(await jobDone(second.messageId)).toMatchObject({ outcome: 'unavailable', reason: 'circuitOpen', modelCalls: 0 });
    expect((await circuitItem())?.['version']).toBe(opened?.['version']);

    // The cool-down is a time that must pass: wait for the moment the item names, then one job probes.
    const coolDownEnds = Number(opened?.['openedAt']) + Number(CIRCUIT_ENV.AGENT_CIRCUIT_COOL_DOWN_MS);
    await until(async () => Date.now(), (now) => now >= coolDownEnds, 30_000);
    const third = await gina.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, text: '@flaky and now?', clientMessageId: 'm3' });
    await hank.waitFor((f) => f.type === 'notice' && f['messageId'] === third.messageId, 20_000);
    const probed = await jobDone(third.messageId);
    // It called the model (no `modelCalls: 0`), failed, and opened the circuit again.
    expect(probed).toMatchObject({ outcome: 'unavailable', reason: 'circuitOpen' });
    expect(probed?.['modelCalls']).toBeUndefined();
    const changes = logLines()
      .filter((l) => l.message === 'model circuit changed' && l['modelId'] === FAILING_MODEL)
      .map((l) => `${String(l['from'])}→${String(l['to'])}`);
    expect(changes).toEqual(['closed→closed', 'closed→open', 'open→halfOpen', 'halfOpen→open']);
    expect(await circuitItem()).toMatchObject({ state: 'open', version: Number(opened?.['version']) + 2 });

    // One notice per mention, and none of the jobs went to the dead-letter queue as a mystery.
    expect(notices()).toHaveLength(3);
    const dlqUrl = Object.entries(parley.queues).find(([key]) => /JobsDeadLetters/.test(key))?.[1];
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages).toEqual([]);
  });
});
