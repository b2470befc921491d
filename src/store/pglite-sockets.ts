// A fix for pglite-socket (0.2.x): when a connection fails or ends, its handler detaches by
// removing every 'error' listener of the socket, then closes it. A reset arriving after that
// (ECONNRESET from a client that went away, common when a pool shuts down) is then an 'error'
// event nobody listens to, which Node turns into an uncaught exception: the whole ponte
// process would stop for one client's dropped connection. Each socket keeps a listener for
// those late errors (the connection is already being closed; `pg` reports it on its side).

import type { Socket, Server } from 'node:net';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const ignore = () => undefined;

/** Call after `server.start()`: its net server exists from then on. */
export function keepSocketErrorsHandled(server: PGLiteSocketServer): void {
  const net = (server as unknown as { server: Server | null }).server;
  if (!net) throw new Error('pglite-socket server not started');
  net.on('connection', (socket: Socket) => {
    socket.on('error', ignore);
    const removeAll = socket.removeAllListeners.bind(socket);
    socket.removeAllListeners = (event?: string | symbol) => {
      removeAll(event);
      if (socket.listenerCount('error') === 0) socket.on('error', ignore);
      return socket;
    };
  });
}
