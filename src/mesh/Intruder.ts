import { createConnection, createServer } from 'node:net';
import type { ControlPlane } from './ControlPlane.ts';
import { PASSTHROUGH, type TcpLabels } from './istioLabels.ts';
import { closeServer, listen } from './listen.ts';
import { MeshHttpClient } from './MeshHttpClient.ts';
import { MeshTcpClient } from './MeshTcpClient.ts';
import type { Sidecar } from './Sidecar.ts';
import { StoreClient } from './StoreClient.ts';

/** What a scanner sends to a TCP port to make it talk (nmap's GetRequest probe). */
export const TCP_PROBE = 'GET / HTTP/1.0\r\n\r\n';

export interface IntruderServices {
  /** Services that speak HTTP on their port. */
  readonly http: ReadonlySet<string>;
  /** Data stores and queues (the line protocol over TCP), with the collection a lateral call reads, if known. */
  readonly tcp: ReadonlyMap<string, string | undefined>;
}

/**
 * Attacker code running inside a compromised workload: its connections go through the
 * workload's sidecar like the workload's own, so Istio reports them as that workload's, with
 * Istio's semantics, but it is not held to the topology. Every mesh call is reported by both
 * sidecars; a connection to a port no service declares leaves through PassthroughCluster and,
 * refused there, is a connection with response flag UF, reported by the caller's sidecar only.
 */
export class Intruder {
  private readonly http: MeshHttpClient;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly controlPlane: ControlPlane,
    private readonly services: IntruderServices,
    /** Longest wait for one probe's answer. */
    private readonly timeoutMillis = 2000,
  ) {
    this.http = new MeshHttpClient(sidecar, controlPlane, services.http, timeoutMillis);
  }

  /** A scan's probe of a service on its own port: `GET /` to an HTTP service (answered, often with a 404), one probe line to a TCP one. */
  probeService(service: string): Promise<boolean> {
    if (this.services.http.has(service)) return this.httpAnswered(service, '/');
    if (this.services.tcp.has(service)) return this.tcpProbe(service);
    return Promise.reject(new Error(`no service "${service}" in the mesh`));
  }

  /**
   * A scan's probe of a port nothing listens on (on a cluster: a port the Service does not
   * declare). Resolves false when refused, as it is but for a rare race with another program.
   */
  async probeClosedPort(): Promise<boolean> {
    const port = await unusedPort();
    return new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      let labels: TcpLabels | undefined;
      socket.once('connect', () => {
        labels = this.sidecar.outboundTcp(PASSTHROUGH);
        this.sidecar.metrics.connectionOpened(labels);
        socket.destroy();
      });
      socket.on('error', () => undefined);
      socket.once('close', () => {
        const answered = labels !== undefined;
        // Envoy accepted the connection (the redirect to it always succeeds), then its upstream refused: opened and closed, flag UF.
        labels ??= this.opened(PASSTHROUGH, 'UF');
        this.sidecar.metrics.connectionClosed(labels);
        resolve(answered);
      });
    });
  }

  /** One lateral call: `GET /health` on an HTTP service (every Sock Shop service has it), a one-record read on a new connection to a data store. */
  async call(service: string): Promise<boolean> {
    if (this.services.http.has(service)) return this.httpAnswered(service, '/health');
    if (!this.services.tcp.has(service)) throw new Error(`no service "${service}" in the mesh`);
    const collection = this.services.tcp.get(service);
    if (collection === undefined) return this.tcpProbe(service);
    const client = new MeshTcpClient(this.sidecar, this.controlPlane, service, { timeoutMillis: this.timeoutMillis });
    try {
      await new StoreClient(client).find(collection, { limit: 1 });
      return true;
    } catch {
      return false;
    } finally {
      client.close();
    }
  }

  /** Drop pooled connections (the mesh is stopping). */
  close(): void {
    this.http.close();
  }

  private async httpAnswered(service: string, path: string): Promise<boolean> {
    try {
      return (await this.http.call(service, 'GET', path)).status < 500;
    } catch {
      return false; // already reported by the sidecar (503 UF, 504 UT)
    }
  }

  private opened(destination: string, flags: string): TcpLabels {
    const labels = this.sidecar.outboundTcp(destination, flags);
    this.sidecar.metrics.connectionOpened(labels);
    return labels;
  }

  /** Connect, send TCP_PROBE, wait for the first bytes back (or the time-out), close; bytes each way counted as MeshTcpClient counts them. */
  private tcpProbe(service: string): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.controlPlane.portOf(service) });
      this.controlPlane.adopt(socket, this.sidecar.workload);
      let labels: TcpLabels | undefined;
      let answered = false;
      const timer = setTimeout(() => socket.destroy(), this.timeoutMillis);
      socket.once('connect', () => {
        labels = this.opened(service, '-');
        this.sidecar.metrics.tcpBytes(labels, 0, Buffer.byteLength(TCP_PROBE));
        socket.write(TCP_PROBE);
      });
      socket.on('data', (chunk: Buffer) => {
        if (labels) this.sidecar.metrics.tcpBytes(labels, chunk.length, 0);
        answered = true;
        socket.end();
      });
      socket.on('error', () => undefined);
      socket.once('close', () => {
        clearTimeout(timer);
        labels ??= this.opened(service, 'UF');
        this.sidecar.metrics.connectionClosed(labels);
        resolve(answered);
      });
    });
  }
}

/** A port on 127.0.0.1 nothing listens on (just released by the system; refused unless another program takes it meanwhile). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, 0);
  await closeServer(server, () => undefined);
  return port;
}
