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

/**
 * A port bound by this process and kept bound until the server meant for it
 * takes its socket over (`listen`), so no other process (another runtime,
 * a parallel test suite) can be given it in between, as a port found free
 * and bound later can.
 */
export interface HeldPort {
  readonly port: number;
  /** The bound socket, for `listen` to hand to the server that serves the port; once. */
  handOver(): Server;
  /** Frees the port when it was never handed over (a start that failed halfway); a no-op after. */
  release(): Promise<void>;
}

/**
 * Binds `port` on `host` (0: a free port the system chooses) and holds it,
 * or throws PortInUseError when it is taken.
 */
export async function holdPort(port: number, purpose: string, variable: string, host = '127.0.0.1'): Promise<HeldPort> {
  const socket = createServer();
  socket.unref();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, purpose, variable) : error));
    socket.listen({ port, host, exclusive: true }, () => resolve());
  });
  const address = socket.address();
  let handedOver = false;
  return {
    port: typeof address === 'object' && address ? address.port : port,
    handOver: () => {
      if (handedOver) throw new Error(`Port ${port} (${purpose}) was handed over already.`);
      handedOver = true;
      // Held, it did not keep the process alive; served, it does.
      socket.ref();
      return socket;
    },
    release: () =>
      new Promise<void>((resolve) => {
        if (handedOver || !socket.listening) return resolve();
        handedOver = true;
        socket.close(() => resolve());
      }),
  };
}

/**
 * Checks that a fixed port is free for a server that binds it by number
 * itself (DynamoDB Local, fauxqs), so a clash is reported before anything
 * starts; throws PortInUseError. Port 0 needs no check: those servers bind
 * a port of the system's choosing themselves.
 */
export async function checkPortFree(port: number, purpose: string, variable: string, host = '127.0.0.1'): Promise<void> {
  if (port === 0) return;
  const held = await holdPort(port, purpose, variable, host);
  await held.release();
}

/**
 * Listens on 127.0.0.1 and resolves the bound port, or throws
 * PortInUseError. Given a held port, the server takes over its socket:
 * the port was never free in between.
 */
export function listen(server: Server | HttpServer, port: number | HeldPort, purpose: string, variable: string): Promise<number> {
  const wanted = typeof port === 'number' ? port : port.port;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(wanted, purpose, variable) : error);
    };
    server.once('error', onError);
    const listening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : wanted);
    };
    if (typeof port === 'number') server.listen(port, '127.0.0.1', listening);
    // Node's documented handle form: a server whose socket is already bound.
    else server.listen(port.handOver(), listening);
  });
}
