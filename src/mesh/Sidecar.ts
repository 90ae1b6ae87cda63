import { createServer, type Server } from 'node:http';
import { reportError } from '../logger.ts';
import { httpLabels, tcpLabels, type Peers, type TcpLabels } from './istioLabels.ts';
import { IstioMetrics } from './IstioMetrics.ts';
import { closeServer, listen } from './listen.ts';

/** Runs `flush` every `millis` until stopped (tests pass one driven by virtual time). */
export type FlushTimer = (flush: () => void, millis: number) => { stop(): void };

export const realFlushTimer: FlushTimer = (flush, millis) => {
  const handle = setInterval(flush, millis);
  handle.unref();
  return { stop: () => clearInterval(handle) };
};

export interface SidecarStatsOptions {
  /**
   * Seconds between stats flushes, as Envoy's `stats_flush_interval` (Istio's default 5 s; the
   * Kubernetes target sets 1 s): histogram sums and TCP byte counters change only at a flush.
   * Undefined: no flush delay, every observation visible at once.
   */
  readonly statsFlushSeconds?: number;
  /** Default: a real interval timer. */
  readonly flushTimer?: FlushTimer;
}

/**
 * A workload's proxy, as far as telemetry goes: it keeps the workload's Istio metrics and
 * serves them on a port of its own, like Envoy's :15090/stats/prometheus. The workload's
 * servers and clients report into it; the endpoint can go down while traffic keeps flowing
 * (and flushing: the proxy runs on, only its endpoint is down).
 */
export class Sidecar {
  private current: IstioMetrics;
  private server: Server | undefined;
  private port = 0;
  private flushing: { stop(): void } | undefined;

  constructor(
    readonly workload: string,
    readonly namespace: string,
    private readonly stats: SidecarStatsOptions = {},
  ) {
    this.current = this.newMetrics();
  }

  private newMetrics(): IstioMetrics {
    return new IstioMetrics({ deferred: this.stats.statsFlushSeconds !== undefined });
  }

  /** Start the stats flush timer (no-op without a flush interval, or when running). */
  startFlushing(): void {
    const seconds = this.stats.statsFlushSeconds;
    if (seconds === undefined || this.flushing) return;
    this.flushing = (this.stats.flushTimer ?? realFlushTimer)(() => this.current.flush(), seconds * 1000);
  }

  /** Stop the flush timer (the mesh is shutting down). */
  stopFlushing(): void {
    this.flushing?.stop();
    this.flushing = undefined;
  }

  /** The metrics of the proxy process now running (replaced on restart). */
  get metrics(): IstioMetrics {
    return this.current;
  }

  /** Metrics URL; the port stays the same across stop/start. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/stats/prometheus`;
  }

  /** A new proxy process: every counter starts again from nothing. */
  restart(): void {
    this.current = this.newMetrics();
  }

  /** Request seen by this sidecar as the caller's proxy (`destination` may be PASSTHROUGH). */
  outboundRequest(destination: string, responseCode: number, responseFlags: string, requestBytes: number, responseBytes: number, durationMillis: number): void {
    const labels = httpLabels(this.peers('source', this.workload, destination), responseCode, responseFlags);
    this.current.recordRequest(labels, requestBytes, responseBytes, durationMillis);
  }

  /** Request seen by this sidecar as the callee's proxy (`source` undefined: a caller without a sidecar). */
  inboundRequest(source: string | undefined, responseCode: number, requestBytes: number, responseBytes: number, durationMillis: number): void {
    const labels = httpLabels(this.peers('destination', source, this.workload), responseCode);
    this.current.recordRequest(labels, requestBytes, responseBytes, durationMillis);
  }

  /** Labels of a TCP connection this workload opened to `destination` (`responseFlags` `UF`: the upstream refused it). */
  outboundTcp(destination: string, responseFlags = '-'): TcpLabels {
    return tcpLabels(this.peers('source', this.workload, destination), responseFlags);
  }

  /** Labels of a TCP connection `source` opened to this workload. */
  inboundTcp(source: string | undefined): TcpLabels {
    return tcpLabels(this.peers('destination', source, this.workload));
  }

  private peers(reporter: Peers['reporter'], source: string | undefined, destination: string): Peers {
    return { reporter, source, destination, namespace: this.namespace };
  }

  /** Serve the metrics endpoint (on the port it had before, after a stop). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || !req.url?.startsWith('/stats/prometheus')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      this.current.expose().then(
        (text) => res.writeHead(200, { 'content-type': this.current.registry.contentType }).end(text),
        (error: unknown) => {
          reportError(`sidecar ${this.workload}: metrics`, error);
          res.writeHead(500).end();
        },
      );
    });
    this.server = server;
    this.port = await listen(server, this.port);
  }

  /** Take the endpoint down: connections to it are refused until start(). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await closeServer(server, () => server.closeAllConnections());
  }
}

