import { Counter, Histogram, Registry } from 'prom-client';
import { HTTP_LABEL_NAMES, TCP_LABEL_NAMES, type HttpLabels, type TcpLabels } from './istioLabels.ts';

/** Envoy's default histogram buckets, which Istio uses for its size and duration histograms. */
export const ENVOY_BUCKETS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

export interface IstioMetricsOptions {
  /**
   * Envoy's behaviour: histograms (request/response sizes, durations: buckets, sum and count)
   * and the TCP byte counters change only when flush() runs (Envoy's stats flush, Istio's TCP
   * reporting interval), not at each observation. Request and connection counters stay live.
   * Default false: every observation is visible at once.
   */
  readonly deferred?: boolean;
}

interface PendingRequest {
  readonly labels: HttpLabels;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly durationMillis: number;
}

/**
 * One proxy process's Istio standard metrics, in a registry of its own (never prom-client's
 * global one: fourteen sidecars live in this process). A restarted proxy is a new instance,
 * and what it had not flushed is lost with it, as with a real proxy.
 */
export class IstioMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<string>;
  private readonly requestBytes: Histogram<string>;
  private readonly responseBytes: Histogram<string>;
  private readonly durationMillis: Histogram<string>;
  private readonly tcpSent: Counter<string>;
  private readonly tcpReceived: Counter<string>;
  private readonly tcpOpened: Counter<string>;
  private readonly tcpClosed: Counter<string>;
  private readonly deferred: boolean;
  private pendingRequests: PendingRequest[] = [];
  /** Unflushed TCP bytes by label set (Istio's TCP metrics are reported per label set). */
  private pendingTcp = new Map<string, { labels: TcpLabels; sent: number; received: number }>();

  constructor(options: IstioMetricsOptions = {}) {
    this.deferred = options.deferred ?? false;
    const registers = [this.registry];
    const http = [...HTTP_LABEL_NAMES];
    const tcp = [...TCP_LABEL_NAMES];
    const buckets = [...ENVOY_BUCKETS];
    this.requests = new Counter({ name: 'istio_requests_total', help: 'Requests', labelNames: http, registers });
    this.requestBytes = new Histogram({ name: 'istio_request_bytes', help: 'Request sizes (headers and body)', labelNames: http, buckets, registers });
    this.responseBytes = new Histogram({ name: 'istio_response_bytes', help: 'Response sizes (headers and body)', labelNames: http, buckets, registers });
    this.durationMillis = new Histogram({ name: 'istio_request_duration_milliseconds', help: 'Request durations', labelNames: http, buckets, registers });
    this.tcpSent = new Counter({ name: 'istio_tcp_sent_bytes_total', help: 'Bytes the destination sent during TCP connections', labelNames: tcp, registers });
    this.tcpReceived = new Counter({ name: 'istio_tcp_received_bytes_total', help: 'Bytes the destination received during TCP connections', labelNames: tcp, registers });
    this.tcpOpened = new Counter({ name: 'istio_tcp_connections_opened_total', help: 'TCP connections opened', labelNames: tcp, registers });
    this.tcpClosed = new Counter({ name: 'istio_tcp_connections_closed_total', help: 'TCP connections closed', labelNames: tcp, registers });
  }

  /** One finished HTTP request: sizes are header plus body bytes, as the proxy saw them. */
  recordRequest(labels: HttpLabels, requestBytes: number, responseBytes: number, durationMillis: number): void {
    this.requests.inc(labels);
    if (this.deferred) this.pendingRequests.push({ labels, requestBytes, responseBytes, durationMillis });
    else this.observe({ labels, requestBytes, responseBytes, durationMillis });
  }

  private observe(r: PendingRequest): void {
    this.requestBytes.observe(r.labels, r.requestBytes);
    this.responseBytes.observe(r.labels, r.responseBytes);
    this.durationMillis.observe(r.labels, r.durationMillis);
  }

  connectionOpened(labels: TcpLabels): void {
    this.tcpOpened.inc(labels);
    // Make both byte series exist from the start, as Envoy does on a new connection.
    this.tcpSent.inc(labels, 0);
    this.tcpReceived.inc(labels, 0);
  }

  /** A closing connection reports its last bytes at once (Istio reports at close, not only on its timer). */
  connectionClosed(labels: TcpLabels): void {
    const key = tcpKey(labels);
    const pending = this.pendingTcp.get(key);
    if (pending) {
      this.pendingTcp.delete(key);
      this.addTcp(pending.labels, pending.sent, pending.received);
    }
    this.tcpClosed.inc(labels);
  }

  /** Bytes moved on a TCP connection: `sent` by the destination, `received` by the destination. */
  tcpBytes(labels: TcpLabels, sent: number, received: number): void {
    if (!this.deferred) return this.addTcp(labels, sent, received);
    const key = tcpKey(labels);
    const pending = this.pendingTcp.get(key);
    if (pending) {
      pending.sent += sent;
      pending.received += received;
    } else this.pendingTcp.set(key, { labels, sent, received });
  }

  private addTcp(labels: TcpLabels, sent: number, received: number): void {
    if (sent > 0) this.tcpSent.inc(labels, sent);
    if (received > 0) this.tcpReceived.inc(labels, received);
  }

  /** The stats flush: everything observed since the last one becomes visible. */
  flush(): void {
    const requests = this.pendingRequests;
    const tcp = this.pendingTcp;
    this.pendingRequests = [];
    this.pendingTcp = new Map();
    for (const r of requests) this.observe(r);
    for (const t of tcp.values()) this.addTcp(t.labels, t.sent, t.received);
  }

  /** Exposition text, as Envoy serves on /stats/prometheus (flushed values only, when deferred). */
  expose(): Promise<string> {
    return this.registry.metrics();
  }
}

function tcpKey(labels: TcpLabels): string {
  return JSON.stringify(TCP_LABEL_NAMES.map((name) => labels[name]));
}
