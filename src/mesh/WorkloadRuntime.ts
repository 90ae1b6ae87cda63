import type { ControlPlane } from './ControlPlane.ts';
import { MeshHttpClient } from './MeshHttpClient.ts';
import { MeshTcpClient, type MeshTcpClientOptions } from './MeshTcpClient.ts';
import type { Sidecar } from './Sidecar.ts';
import { StoreClient } from './StoreClient.ts';
import { destinationsOf } from './topology.ts';

/**
 * What a workload's code gets to reach other services: HTTP through its sidecar, and one
 * persistent connection per data store or queue. Only the topology's edges are open.
 */
export class WorkloadRuntime {
  readonly http: MeshHttpClient;
  private readonly allowed: ReadonlySet<string>;
  private readonly tcpClients: MeshTcpClient[] = [];
  private readonly stores = new Map<string, StoreClient>();

  constructor(
    readonly name: string,
    readonly sidecar: Sidecar,
    private readonly controlPlane: ControlPlane,
  ) {
    this.allowed = destinationsOf(name);
    this.http = new MeshHttpClient(sidecar, controlPlane, this.allowed);
  }

  /** A new connection to a TCP service (e.g. a queue consumer with its own push handler). */
  tcp(service: string, options: MeshTcpClientOptions = {}): MeshTcpClient {
    if (!this.allowed.has(service)) throw new Error(`${this.name} has no edge to ${service}`);
    const client = new MeshTcpClient(this.sidecar, this.controlPlane, service, options);
    this.tcpClients.push(client);
    return client;
  }

  /** The workload's (shared) connection to a data store. */
  store(service: string): StoreClient {
    let s = this.stores.get(service);
    if (!s) this.stores.set(service, (s = new StoreClient(this.tcp(service))));
    return s;
  }

  /** Drop every connection the workload holds. */
  close(): void {
    this.http.close();
    for (const c of this.tcpClients) c.close();
  }
}
