import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagementApiGateway } from '../../../../lambdas/adapters/apigateway/connection-gateway';

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
});
