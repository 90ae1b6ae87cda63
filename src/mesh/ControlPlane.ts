import type { Socket } from 'node:net';

/**
 * What istiod knows and the proxies share: where each service listens, and which workload
 * owns each client connection. A destination proxy learns its caller's identity from the
 * connection (as Istio does from the peer's mTLS certificate), not from anything the
 * application sends, so identifying a caller adds no bytes. Connections nobody registered
 * come from outside the mesh.
 */
export class ControlPlane {
  private readonly ports = new Map<string, number>();
  /** "clientPort>serverPort" → workload owning the client end. */
  private readonly owners = new Map<string, string>();
  private readonly seen = new WeakSet<Socket>();

  setServicePort(service: string, port: number): void {
    this.ports.set(service, port);
  }

  /** Port of a mesh service (an error for a name the mesh does not have). */
  portOf(service: string): number {
    const port = this.ports.get(service);
    if (port === undefined) throw new Error(`no service "${service}" in the mesh`);
    return port;
  }

  /**
   * Record that `workload` owns the client end of `socket`. Registration happens in the
   * socket's connect callback, before the callee's event loop turn can read any byte of it.
   */
  adopt(socket: Socket, workload: string): void {
    if (this.seen.has(socket)) return;
    this.seen.add(socket);
    let key: string | undefined;
    const register = () => {
      if (socket.localPort === undefined || socket.remotePort === undefined) return;
      key = `${socket.localPort}>${socket.remotePort}`;
      this.owners.set(key, workload);
    };
    if (socket.connecting) socket.once('connect', register);
    else register();
    socket.once('close', () => {
      if (key !== undefined && this.owners.get(key) === workload) this.owners.delete(key);
    });
  }

  /** Workload on the other end of a server-side socket, or undefined for an outside caller. */
  peerOf(serverSocket: Socket): string | undefined {
    if (serverSocket.remotePort === undefined || serverSocket.localPort === undefined) return undefined;
    return this.owners.get(`${serverSocket.remotePort}>${serverSocket.localPort}`);
  }
}
