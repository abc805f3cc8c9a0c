import { describe, expect, it } from 'vitest';
import { type CostCounts, formatCost, functionLabel, perMessage } from '../../../scripts/bench/cost';
import {
  costPerMillionMessages,
  modelCostPerReply,
  monthlyCostPerUsers,
  postsPerReplyPerToken,
  scanFanOutReadUnits,
  US_EAST_1_LIST_PRICES,
} from '../../../scripts/bench/cost-model';

const counts = (): CostCounts => ({
  scenario: { members: 10, agents: 1, messages: 4 },
  messages: 4,
  functions: {
    SendMessage: { invocations: 4, cpuMs: 40, durationMs: 80, memoryMb: 256 },
    AgentWorker: { invocations: 4, cpuMs: 200, durationMs: 4000, memoryMb: 512 },
  },
  dynamoDb: { requests: { GetItem: 8, TransactWriteItems: 4 }, readUnits: 6, writeUnits: 16 },
  framesIn: 4,
  routeResponses: 4,
  posts: 40,
  replies: 4,
  inputTokens: 2000,
  outputTokens: 240,
});

describe('perMessage', () => {
  it('divides every count by the messages sent', () => {
    const row = perMessage(counts());

    expect(row.invocations).toBe(2);
    expect(row.cpuMs).toBe(60);
    expect(row.readUnits).toBe(1.5);
    expect(row.writeUnits).toBe(4);
    expect(row.dynamoDbRequests).toBe(3);
    expect(row.posts).toBe(10);
    expect(row.apiGatewayMessages).toBe(12);
    expect(row.byFunction['AgentWorker']).toEqual({ invocations: 1, cpuMs: 50 });
  });

  it('weighs each function’s wall time by its memory for GB-seconds', () => {
    // (0.08 s × 0.25 GB + 4 s × 0.5 GB) / 4 messages
    expect(perMessage(counts()).gbSeconds).toBeCloseTo(0.505, 6);
  });

  it('gives tokens per reply, and none without replies', () => {
    expect(perMessage(counts()).outputTokensPerReply).toBe(60);
    expect(perMessage({ ...counts(), replies: 0 }).inputTokensPerReply).toBe(0);
  });
});

describe('formatCost', () => {
  it('prints one summary row per scenario and one row per function', () => {
    const table = formatCost([perMessage(counts())]);

    expect(table).toContain('| 10 members, 1 agent | 4 | 2.00 | 60.0 |');
    expect(table).toContain('| AgentWorker | 1.00 · 50.0 |');
    expect(table).toContain('| SendMessage | 1.00 · 10.0 |');
  });

  it('names the people behind a room whose connections include several tabs each', () => {
    const tabs = { ...counts(), scenario: { members: 1_000, people: 40, agents: 2, messages: 2 } };

    expect(formatCost([perMessage(tabs)])).toContain('| 1,000 connections of 40 people, 2 agents | 2 |');
  });
});

describe('functionLabel', () => {
  it('drops the stack, the logical id’s hash and the Function suffix', () => {
    expect(functionLabel('ParleyRealtime/SendMessageFunctionA1B2C3D4')).toBe('SendMessage');
    expect(functionLabel('ParleyAgents/AgentWorker0F1E2D3C')).toBe('AgentWorker');
  });
});

describe('costPerMillionMessages', () => {
  it('prices each service’s units at the list prices', () => {
    const cost = costPerMillionMessages({
      invocations: 5,
      gbSeconds: 0.1,
      readUnits: 4,
      writeUnits: 10,
      apiGatewayMessages: 12,
      replies: 1,
    });

    expect(cost.lambda).toBeCloseTo(5 * 0.2 + 0.1 * 1e6 * 0.0000133334, 6);
    expect(cost.dynamoDb).toBeCloseTo(4 * 0.125 + 10 * 0.625, 6);
    expect(cost.apiGateway).toBe(12);
    expect(cost.sqs).toBeCloseTo(1.5, 6);
    expect(cost.total).toBeCloseTo(cost.lambda + cost.dynamoDb + cost.apiGateway + cost.sqs, 9);
  });
});

describe('modelCostPerReply', () => {
  it('prices input and output tokens apart', () => {
    expect(modelCostPerReply(1000, 100)).toBeCloseTo(0.00006 + 0.000024, 9);
  });
});

describe('scanFanOutReadUnits', () => {
  it('bills the bytes of every connection in 4 KB units, halved when eventually consistent', () => {
    expect(scanFanOutReadUnits(10_000, 200)).toBe(244.5);
    expect(scanFanOutReadUnits(10_000, 200, true)).toBe(489);
    expect(scanFanOutReadUnits(10, 200)).toBe(0.5);
  });
});

describe('postsPerReplyPerToken', () => {
  it('posts every token and the final frame to every member', () => {
    expect(postsPerReplyPerToken(60, 100)).toBe(6100);
  });
});

describe('monthlyCostPerUsers', () => {
  it('scales the cost per million messages to a month of users', () => {
    expect(monthlyCostPerUsers(20, 1000, 500)).toBe(10);
  });
});

describe('US_EAST_1_LIST_PRICES', () => {
  it('names its region and date', () => {
    expect(US_EAST_1_LIST_PRICES.region).toBe('us-east-1');
    expect(US_EAST_1_LIST_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
