import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPortFree, holdPort, listen, PortInUseError } from '../../../scripts/local/ports';

/** What binding `port` on 127.0.0.1 from elsewhere gives: `bound`, or the error code. */
const tryBind = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const other = createServer();
    other.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    other.listen({ port, host: '127.0.0.1', exclusive: true }, () => other.close(() => resolve('bound')));
  });

const closing: Array<{ close(callback: () => void): unknown }> = [];
afterEach(async () => {
  for (const server of closing.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/**
 * The runtime's ports: a port the system chooses is bound when it is chosen
 * and held until its server takes the socket over, so a parallel suite or
 * runtime can never be given it in between.
 */
describe('holdPort and listen', () => {
  it('holds a port the system chose: nobody else can bind it', async () => {
    const held = await holdPort(0, 'WebSocket API', 'PARLEY_WS_PORT');

    expect(held.port).toBeGreaterThan(0);
    expect(await tryBind(held.port)).toBe('EADDRINUSE');
    await held.release();
    expect(await tryBind(held.port)).toBe('bound');
  });

  it('hands the held socket to the server, which serves on that port with no moment free in between', async () => {
    const held = await holdPort(0, 'management API and JWKS', 'PARLEY_HTTP_PORT');
    const server = createHttpServer((_req, res) => res.end('served'));
    closing.push(server);

    const port = await listen(server, held, 'management API and JWKS', 'PARLEY_HTTP_PORT');
    await held.release();

    expect(port).toBe(held.port);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('served');
    expect(await tryBind(port)).toBe('EADDRINUSE');
  });

  it('refuses a fixed port that is taken, saying how to choose another', async () => {
    const taken: Server = createServer();
    closing.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };

    await expect(holdPort(port, 'WebSocket API', 'PARLEY_WS_PORT')).rejects.toBeInstanceOf(PortInUseError);
    await expect(checkPortFree(port, 'SQS and S3 (fauxqs)', 'PARLEY_SQS_PORT')).rejects.toThrow(/PARLEY_SQS_PORT=/);
  });

  it('checks a fixed port and leaves it free for the engine that binds it', async () => {
    const held = await holdPort(0, 'probe', 'PROBE');
    await held.release();

    await checkPortFree(held.port, 'DynamoDB Local', 'PARLEY_DYNAMODB_PORT');

    expect(await tryBind(held.port)).toBe('bound');
  });
});
