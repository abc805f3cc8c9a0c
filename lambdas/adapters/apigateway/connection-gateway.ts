import {
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { FrameTooLargeError } from '../../domain/errors';
import { MAX_FRAME_BYTES, utf8Bytes } from '../../domain/frame-budget';
import type { ConnectionGateway, PostOutcome } from '../../domain/ports';

/** A 410 from the management API: the client has disconnected. */
const isGone = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return name === 'GoneException' || $metadata?.httpStatusCode === 410;
};

/** Pushes frames to WebSocket clients through API Gateway's management API. */
export class ManagementApiGateway implements ConnectionGateway {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  /**
   * A payload over API Gateway's message limit is never sent: the post fails
   * with FrameTooLargeError, which the delivery report names.
   */
  async post(connectionId: string, payload: string): Promise<PostOutcome> {
    const bytes = utf8Bytes(payload);
    if (bytes > MAX_FRAME_BYTES) throw new FrameTooLargeError(bytes, MAX_FRAME_BYTES);
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: payload }));
      return 'delivered';
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }
}
