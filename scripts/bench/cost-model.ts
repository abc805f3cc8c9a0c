/**
 * Parley's cost model (docs/cost.md): turns the units one message uses, as
 * the cost benchmark measures them, into dollars at AWS list prices, and
 * prices the two classic designs Parley avoids (a Scan of every connection
 * per message; one PostToConnection per model token) on the same workload.
 */

/**
 * AWS list prices, us-east-1, on-demand, as known on the date below. List
 * prices change: check them against the AWS pricing pages before relying on
 * any figure computed from them.
 */
export const US_EAST_1_LIST_PRICES = {
  asOf: '2026-12-06',
  region: 'us-east-1',
  /** Lambda: per request, and per GB-second on Arm (Graviton), the functions' architecture. */
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecondArm: 0.0000133334,
  /** DynamoDB on-demand (Standard table class). */
  dynamoDbPerMillionWriteUnits: 0.625,
  dynamoDbPerMillionReadUnits: 0.125,
  dynamoDbPerGbMonth: 0.25,
  /** API Gateway WebSocket: messages (32 KB units; first billion a month) and connection minutes. */
  apiGatewayPerMillionMessages: 1.0,
  apiGatewayPerMillionConnectionMinutes: 0.25,
  /** SQS FIFO requests (the agents' job queue). */
  sqsFifoPerMillionRequests: 0.5,
  kmsKeyPerMonth: 1.0,
  cloudWatchAlarmPerMonth: 0.1,
  secretPerMonth: 0.4,
  /** Amazon Nova Lite (the agents' default model), on-demand, per 1,000 tokens. */
  novaLitePerThousandInputTokens: 0.00006,
  novaLitePerThousandOutputTokens: 0.00024,
} as const;

export type Prices = typeof US_EAST_1_LIST_PRICES;

/** The billed units of one message (a person's, with every reply it triggers). */
export interface UnitsPerMessage {
  readonly invocations: number;
  /** Lambda GB-seconds (memory × billed duration). */
  readonly gbSeconds: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly apiGatewayMessages: number;
  /** Agent replies per message (each one FIFO job: send, receive, delete). */
  readonly replies: number;
}

export interface CostBreakdown {
  readonly lambda: number;
  readonly dynamoDb: number;
  readonly apiGateway: number;
  readonly sqs: number;
  readonly total: number;
}

/** SQS requests per agent job: the dispatcher's send, the poller's receive and its delete. */
export const SQS_REQUESTS_PER_REPLY = 3;

/** Dollars per million messages, model tokens excluded (see `modelCostPerReply`). */
export function costPerMillionMessages(units: UnitsPerMessage, prices: Prices = US_EAST_1_LIST_PRICES): CostBreakdown {
  const lambda = units.invocations * prices.lambdaPerMillionRequests + units.gbSeconds * 1e6 * prices.lambdaPerGbSecondArm;
  const dynamoDb =
    units.readUnits * prices.dynamoDbPerMillionReadUnits + units.writeUnits * prices.dynamoDbPerMillionWriteUnits;
  const apiGateway = units.apiGatewayMessages * prices.apiGatewayPerMillionMessages;
  const sqs = units.replies * SQS_REQUESTS_PER_REPLY * prices.sqsFifoPerMillionRequests;
  return { lambda, dynamoDb, apiGateway, sqs, total: lambda + dynamoDb + apiGateway + sqs };
}

/** The model's price of one reply: input tokens (prompt, history, memory) and output tokens. */
export function modelCostPerReply(inputTokens: number, outputTokens: number, prices: Prices = US_EAST_1_LIST_PRICES): number {
  return (
    (inputTokens / 1000) * prices.novaLitePerThousandInputTokens + (outputTokens / 1000) * prices.novaLitePerThousandOutputTokens
  );
}

/**
 * Read units of one Scan of the whole connections table, the classic fan-out
 * that finds a room's connections by scanning everyone's: a Scan is billed on
 * the bytes it reads, 4 KB per unit, half a unit when eventually consistent.
 */
export function scanFanOutReadUnits(totalConnections: number, bytesPerConnection: number, consistent = false): number {
  const units = Math.ceil((totalConnections * bytesPerConnection) / 4096);
  return consistent ? units : units / 2;
}

/**
 * PostToConnection calls for one reply when every model token is posted to
 * every member, plus the final frame: `(tokens + 1) × members`.
 */
export function postsPerReplyPerToken(outputTokens: number, members: number): number {
  return (outputTokens + 1) * members;
}

/** Dollars a month for `users` monthly active users sending `messagesPerUser` messages each. */
export function monthlyCostPerUsers(
  costPerMillion: number,
  users: number,
  messagesPerUser: number,
): number {
  return (costPerMillion * users * messagesPerUser) / 1e6;
}
