// A client connection of the embedded database that fails after pglite-socket detached its
// handler (which removes every 'error' listener) must not become an uncaught exception.

import { describe, expect, it } from 'vitest';
import net from 'node:net';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepSocketErrorsHandled } from '../../src/store/pglite-sockets.js';

describe('embedded database sockets', () => {
  it('keep an error listener after every listener was removed, so a late reset is handled', async () => {
    const server = net.createServer();
    keepSocketErrorsHandled({ server } as unknown as PGLiteSocketServer);
    const accepted = new Promise<net.Socket>((resolve) => server.on('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const socket = await accepted;
    // What pglite-socket's detach does, then the reset that may follow it.
    socket.removeAllListeners('error');
    expect(socket.listenerCount('error')).toBe(1);
    expect(() => socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).not.toThrow();
    socket.removeAllListeners();
    expect(socket.listenerCount('error')).toBe(1);
    client.destroy();
    socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuse a server that was not started', () => {
    expect(() => keepSocketErrorsHandled({ server: null } as unknown as PGLiteSocketServer)).toThrow(/not started/);
  });
});
