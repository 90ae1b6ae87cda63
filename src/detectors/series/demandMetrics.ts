import type { MetricKey } from '../../types.ts';

/**
 * An interval's demand per edge, from the metrics one read holds (see LoadCovariates): by
 * position (an edge, or an entry of the active edges' values).
 *
 * `of`: the demand that is summed across edges (into a node, at the front door), in one unit
 * per run: the `requests` count when the run records it, else the request-direction bytes
 * (request_bytes + tcp_received_bytes). A count and a byte total cannot be added.
 *
 * `own`: the demand an edge's own fit regresses on, which is one edge's, so its unit may be the
 * edge's own: in a run that records requests, an interval in which the edge carried none (an
 * idle HTTP edge, whose bytes are 0 too, or a TCP edge: Istio counts a TCP proxy's bytes in
 * `istio_tcp_*` and no request) takes its request-direction TCP bytes. Without this a TCP edge in
 * a run mixing HTTP and TCP (the default experiment's queue and database edges) had an own
 * demand of 0, and its fit rested on its callers' requests alone: exact while an order and its
 * message fell in the same interval, tens of σ off the first time they straddled two (README
 * "Beyond the synthetic shapes").
 */
export class DemandMetrics {
  private readonly requests: ArrayLike<number> | undefined;
  private readonly requestBytes: ArrayLike<number> | undefined;
  private readonly tcpReceived: ArrayLike<number> | undefined;

  constructor(values: ReadonlyMap<MetricKey, ArrayLike<number>>) {
    this.requests = values.get('requests');
    this.requestBytes = values.get('request_bytes');
    this.tcpReceived = values.get('tcp_received_bytes');
  }

  /** Whether the summed demand is a count of requests (the run records them). */
  get isCount(): boolean {
    return this.requests !== undefined;
  }

  /** The summed demand of position i. */
  of(i: number): number {
    if (this.requests !== undefined) return this.requests[i] ?? 0;
    return (this.requestBytes?.[i] ?? 0) + (this.tcpReceived?.[i] ?? 0);
  }

  /** The own demand of position i, given its summed demand d (`of(i)`). */
  own(i: number, d: number): number {
    if (this.requests === undefined || d > 0) return d;
    return this.tcpReceived?.[i] ?? 0;
  }
}
