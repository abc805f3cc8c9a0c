import type { Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';

/** A port the runtime needs is taken; the message says how to pick another. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly purpose: string,
    readonly variable: string,
  ) {
    super(
      `Port ${port} (${purpose}) is already in use. ` +
        `Stop what holds it, or choose another port: ${variable}=${port + 100} npm start`,
    );
    this.name = 'PortInUseError';
  }
}

const tryListen = (port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });

/**
 * Returns `port` when it is free (0: a free port chosen by the system), or
 * throws PortInUseError. `host` 0.0.0.0 checks engines that bind every interface.
 */
export async function reservePort(
  port: number,
  purpose: string,
  variable: string,
  host = '127.0.0.1',
): Promise<number> {
  try {
    return await tryListen(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, purpose, variable);
    throw error;
  }
}

/** Listens on 127.0.0.1 and resolves the bound port, or throws PortInUseError. */
export function listen(server: Server | HttpServer, port: number, purpose: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, purpose, variable) : error);
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
