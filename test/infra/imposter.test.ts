import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, resourcesOf, statementsOfFunction, synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

type Resource = { Type: string; Properties: Record<string, any> };

/** What the imposter game's code needs of its two functions' grants and wiring, beyond what every game function gets. */
describe('imposter functions', () => {
  let parley: SynthesizedParley;
  let realtime: Record<string, Resource>;
  const logicalIdOf = (construct: unknown) =>
    parley.statefulStack.resolve((construct as { node: { defaultChild: { logicalId: string } } }).node.defaultChild.logicalId) as string;
  const grantsOn = (functionId: string, construct: unknown) => {
    const needle = `${logicalIdOf(construct)}`;
    return [
      ...new Set(
        statementsOfFunction(parley.realtime, parley.functionLogicalId(functionId))
          .filter((s) => resourcesOf(s).some((r) => JSON.stringify(r).includes(needle)))
          .flatMap(actionsOf),
      ),
    ];
  };

  beforeAll(() => {
    parley = synthParley();
    realtime = parley.realtime.toJSON().Resources as Record<string, Resource>;
  });

  it('grants each item action the round store’s transactions use, on the games table', () => {
    const { gamesTable } = parley.statefulStack.data;
    for (const id of ['Imposter', 'ImposterWorker']) {
      expect(grantsOn(id, gamesTable), id).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']),
      );
    }
  });

  it('lets lines be moderated and budgeted, and every step audited', () => {
    const { roomsTable, connectionsTable, auditTable } = parley.statefulStack.data;
    for (const id of ['Imposter', 'ImposterWorker']) {
      // Moderation settings and retention are items of the rooms table; the agent roster a Query of it.
      expect(grantsOn(id, roomsTable), id).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(grantsOn(id, auditTable), id).toEqual(['dynamodb:PutItem']);
    }
    // The message and action budgets are counters in the connections table.
    expect(grantsOn('Imposter', connectionsTable)).toContain('dynamodb:UpdateItem');
  });

  it('feeds the worker its queue one job at a time with partial failures, and lets it requeue a timer', () => {
    const { imposterJobs } = parley.statefulStack.data.gameQueues;
    const mappings = Object.values(realtime).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties['FunctionName']?.Ref === parley.functionLogicalId('ImposterWorker'),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(grantsOn('ImposterWorker', imposterJobs)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:SendMessage']));
  });
});
