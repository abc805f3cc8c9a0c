import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The SDK clients, each created once per Lambda container on first use and
 * reused across invocations (connections stay warm). Region, credentials and
 * endpoints come from the SDK's standard configuration (AWS_REGION,
 * AWS_ENDPOINT_URL_DYNAMODB for a local engine, ...), except the management
 * API's endpoint, which is the WebSocket stage's own URL.
 */
let documentClient: DynamoDBDocumentClient | undefined;
const managementClients = new Map<string, ApiGatewayManagementApiClient>();

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** The management API client for a stage, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`. */
export function managementApiClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({ endpoint });
    managementClients.set(endpoint, client);
  }
  return client;
}
