import { describe, expect, it } from 'vitest';
import { capacityOf, operationOf } from '../../../scripts/bench/capacity-proxy';

describe('capacityOf', () => {
  it('counts a single-item write as write units', () => {
    const use = capacityOf('PutItem', { ConsumedCapacity: { TableName: 't', CapacityUnits: 4 } });

    expect(use).toEqual({ operation: 'PutItem', readUnits: 0, writeUnits: 4 });
  });

  it('counts a query as read units, eventually consistent halves included', () => {
    const use = capacityOf('Query', { Items: [], ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } });

    expect(use).toEqual({ operation: 'Query', readUnits: 0.5, writeUnits: 0 });
  });

  it('doubles a transaction and adds up its tables', () => {
    const use = capacityOf('TransactWriteItems', {
      ConsumedCapacity: [
        { TableName: 'messages', CapacityUnits: 2 },
        { TableName: 'rooms', CapacityUnits: 1 },
      ],
    });

    expect(use.writeUnits).toBe(6);
    expect(use.readUnits).toBe(0);
  });

  it('keeps the read and write split when the response gives one', () => {
    const use = capacityOf('UpdateItem', {
      ConsumedCapacity: { TableName: 't', CapacityUnits: 3, ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
    });

    expect(use).toEqual({ operation: 'UpdateItem', readUnits: 1, writeUnits: 2 });
  });

  it('counts nothing when the response reports no capacity', () => {
    expect(capacityOf('GetItem', { Item: {} })).toEqual({ operation: 'GetItem', readUnits: 0, writeUnits: 0 });
    expect(capacityOf('DescribeTable', { ConsumedCapacity: { CapacityUnits: 1 } }).readUnits).toBe(0);
  });
});

describe('operationOf', () => {
  it('reads the operation from a DynamoDB target and ignores a streams one', () => {
    expect(operationOf('DynamoDB_20120810.BatchWriteItem')).toBe('BatchWriteItem');
    expect(operationOf('DynamoDBStreams_20120810.GetRecords')).toBeUndefined();
    expect(operationOf(undefined)).toBeUndefined();
  });
});
