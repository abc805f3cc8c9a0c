import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagementApiGateway } from '../../../../lambdas/adapters/apigateway/connection-gateway';
import { deliverToRecipients } from '../../../../lambdas/use-cases/delivery/deliver-to-recipients';

const api = mockClient(ApiGatewayManagementApiClient);
const gateway = () =>
  new ManagementApiGateway(new ApiGatewayManagementApiClient({ region: 'eu-west-1', endpoint: 'https://example.test/prod' }));

afterEach(() => {
  api.reset();
});

describe('ManagementApiGateway', () => {
  it('posts the payload to the connection', async () => {
    api.on(PostToConnectionCommand).resolves({});

    const outcome = await gateway().post('c1', '{"type":"ack"}');

    expect(outcome).toBe('delivered');
    expect(api).toHaveReceivedCommandExactlyOnceWith(PostToConnectionCommand, {
      ConnectionId: 'c1',
      Data: '{"type":"ack"}',
    });
  });

  it('reports a GoneException as gone', async () => {
    api.on(PostToConnectionCommand).rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));

    expect(await gateway().post('c1', 'x')).toBe('gone');
  });

  it('reports any 410 response as gone', async () => {
    const error = Object.assign(new Error('Gone'), { name: 'UnknownError', $metadata: { httpStatusCode: 410 } });
    api.on(PostToConnectionCommand).rejects(error);

    expect(await gateway().post('c1', 'x')).toBe('gone');
  });

  it('rethrows other failures', async () => {
    const forbidden = new ForbiddenException({ message: 'forbidden', $metadata: { httpStatusCode: 403 } });
    api.on(PostToConnectionCommand).rejects(forbidden);

    await expect(gateway().post('c1', 'x')).rejects.toBe(forbidden);
  });

  it('never sends a payload over 128 KB and fails the post with FrameTooLargeError', async () => {
    api.on(PostToConnectionCommand).resolves({});

    await expect(gateway().post('c1', 'é'.repeat(64 * 1024 + 1))).rejects.toMatchObject({ name: 'FrameTooLargeError' });
    expect(api).not.toHaveReceivedCommand(PostToConnectionCommand);
  });

  it('sends a payload of exactly 128 KB', async () => {
    api.on(PostToConnectionCommand).resolves({});

    expect(await gateway().post('c1', 'a'.repeat(128 * 1024))).toBe('delivered');
  });

  it('shows a refused oversize frame as a failed post in the delivery report', async () => {
    api.on(PostToConnectionCommand).resolves({});
    const connections = { removeGoneConnection: async () => true };

    const report = await deliverToRecipients({ connections, gateway: gateway() }, [{ connectionId: 'c1' }], {
      type: 'notice',
      roomId: 'r1',
      code: 'X',
      text: 'x'.repeat(130 * 1024),
    });

    expect(report).toEqual({
      recipients: 1,
      delivered: 0,
      gone: 0,
      failed: 1,
      failures: [{ connectionId: 'c1', error: 'FrameTooLargeError' }],
    });
  });
});
