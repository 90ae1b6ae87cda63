import { createServer, type Server } from 'node:http';
import { closeServer, listen } from './listen.ts';

/**
 * The attacker's server outside the mesh (no sidecar): it takes whatever is POSTed to it
 * and counts the body bytes. What reaches it is what left the mesh.
 */
export class Sink {
  private received = 0;
  private server: Server | undefined;
  private port = 0;

  /** Body bytes received so far. */
  get bytes(): number {
    return this.received;
  }

  /** Where to POST, e.g. http://127.0.0.1:40123/upload. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/upload`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      let n = 0;
      req.on('data', (chunk: Buffer) => {
        n += chunk.length;
      });
      req.on('end', () => {
        this.received += n;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: n }));
      });
      req.on('error', () => res.destroy());
    });
    this.server = server;
    this.port = await listen(server);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await closeServer(server, () => server.closeAllConnections());
  }
}
