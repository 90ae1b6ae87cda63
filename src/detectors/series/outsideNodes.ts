/** Names the telemetry gives the world outside the mesh (after munnin's aliases, and before them). */
export const DEFAULT_OUTSIDE_NODES: readonly string[] = ['external', 'unknown', 'PassthroughCluster'];

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-fA-F]*:[0-9a-fA-F:.]*$/;

/**
 * Which nodes stand for the outside: those named in `names`, and, with `addresses`, every node
 * named by an IP address. A workload with an identity is reported by its name; a peer the mesh
 * cannot identify (a client outside it, a host gateway such as Docker's 172.17.0.1 in Munnin's
 * 2018 runs) only by its address.
 */
export class OutsideNodes {
  private readonly names: Set<string>;
  constructor(
    names: readonly string[],
    private readonly addresses: boolean,
  ) {
    this.names = new Set(names);
  }

  has(node: string): boolean {
    return this.names.has(node) || (this.addresses && (IPV4.test(node) || IPV6.test(node)));
  }
}
