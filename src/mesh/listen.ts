import type { Server } from 'node:net';

/** Listen on 127.0.0.1 (`port` 0: an ephemeral port) and resolve with the port bound. */
export function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server has no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Close a server, dropping its idle and active connections. */
export function closeServer(server: Server, destroyConnections: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      destroyConnections();
      resolve();
      return;
    }
    server.close(() => resolve());
    destroyConnections();
  });
}
