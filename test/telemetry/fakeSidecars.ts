// Fake Istio sidecars for telemetry tests: small HTTP servers on 127.0.0.1 (port 0) serving
// Istio-shaped metrics whose counters the test sets, and which can be told to misbehave.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Istio series family member: who reported which edge. */
export interface EdgeSpec {
  readonly reporter: 'source' | 'destination';
  /** source_workload ("unknown" for a caller without a sidecar). */
  readonly src: string;
  /** destination_service_name (e.g. "PassthroughCluster"). */
  readonly dst: string;
  /** destination_workload; default `dst`, "unknown" for PassthroughCluster. */
  readonly dstWorkload?: string;
  readonly responseCode?: string;
}

/** Cumulative counter values of one edge as one sidecar reports it (run-format keys). */
export interface EdgeCounters {
  requests?: number;
  request_bytes?: number;
  response_bytes?: number;
  tcp_sent_bytes?: number;
  tcp_received_bytes?: number;
  tcp_connections?: number;
}

export type SidecarMode = 'ok' | 'http500' | 'garbage' | 'hang' | 'nan';

/** The full Istio label set of an edge, in Envoy's order. */
export function istioLabels(edge: EdgeSpec, namespace = 'sock-shop'): string {
  const dstWorkload = edge.dstWorkload ?? (edge.dst === 'PassthroughCluster' ? 'unknown' : edge.dst);
  const dstService = edge.dst === 'PassthroughCluster' ? 'PassthroughCluster' : `${edge.dst}.${namespace}.svc.cluster.local`;
  return [
    `reporter="${edge.reporter}"`,
    `source_workload="${edge.src}"`,
    `source_workload_namespace="${edge.src === 'unknown' ? 'unknown' : namespace}"`,
    `source_app="${edge.src}"`,
    `destination_workload="${dstWorkload}"`,
    `destination_workload_namespace="${dstWorkload === 'unknown' ? 'unknown' : namespace}"`,
    `destination_service="${dstService}"`,
    `destination_service_name="${edge.dst}"`,
    `destination_service_namespace="${edge.dst === 'PassthroughCluster' ? 'unknown' : namespace}"`,
    `request_protocol="http"`,
    `response_code="${edge.responseCode ?? '200'}"`,
    `response_flags="-"`,
    `connection_security_policy="unknown"`,
  ].join(',');
}

const BUCKETS = [1, 10, 100, 1000, 10000];

/** Exposition text of the given edges, as Envoy lays it out (TYPE lines, histograms with buckets). */
export function istioExposition(edges: readonly { readonly edge: EdgeSpec; readonly counters: EdgeCounters }[], nanIn?: keyof EdgeCounters): string {
  const out: string[] = [];
  const value = (counters: EdgeCounters, key: keyof EdgeCounters) => (nanIn === key ? 'NaN' : String(counters[key] ?? 0));
  out.push('# TYPE istio_requests_total counter');
  for (const { edge, counters } of edges) if (counters.requests !== undefined) out.push(`istio_requests_total{${istioLabels(edge)}} ${value(counters, 'requests')}`);
  for (const [family, key] of [
    ['istio_request_bytes', 'request_bytes'],
    ['istio_response_bytes', 'response_bytes'],
  ] as const) {
    out.push(`# TYPE ${family} histogram`);
    for (const { edge, counters } of edges) {
      if (counters[key] === undefined) continue;
      const labels = istioLabels(edge);
      const count = counters.requests ?? 0;
      for (const le of BUCKETS) out.push(`${family}_bucket{${labels},le="${le}"} ${le >= (counters[key] ?? 0) / Math.max(1, count) ? count : 0}`);
      out.push(`${family}_bucket{${labels},le="+Inf"} ${count}`, `${family}_sum{${labels}} ${value(counters, key)}`, `${family}_count{${labels}} ${count}`);
    }
  }
  for (const [name, key] of [
    ['istio_tcp_sent_bytes_total', 'tcp_sent_bytes'],
    ['istio_tcp_received_bytes_total', 'tcp_received_bytes'],
    ['istio_tcp_connections_opened_total', 'tcp_connections'],
  ] as const) {
    out.push(`# TYPE ${name} counter`);
    for (const { edge, counters } of edges) if (counters[key] !== undefined) out.push(`${name}{${istioLabels(edge).replace('request_protocol="http"', 'request_protocol="tcp"')}} ${value(counters, key)}`);
  }
  out.push('# TYPE envoy_server_live gauge', 'envoy_server_live 1');
  return `${out.join('\n')}\n`;
}

/** A sidecar's metrics endpoint (/stats/prometheus) with counters set by the test. */
export class FakeSidecar {
  mode: SidecarMode = 'ok';
  /** Requests answered so far (any mode). */
  scrapes = 0;
  private readonly edges = new Map<string, { edge: EdgeSpec; counters: EdgeCounters }>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    readonly workload: string,
    private readonly server: Server,
  ) {}

  static async start(workload: string, port = 0): Promise<FakeSidecar> {
    let sidecar: FakeSidecar | undefined;
    const server = createServer((req, res) => sidecar?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    sidecar = new FakeSidecar(workload, server);
    return sidecar;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/stats/prometheus`;
  }

  get target(): { workload: string; url: string } {
    return { workload: this.workload, url: this.url };
  }

  /** Set an edge's cumulative counters (replacing what was there). */
  set(edge: EdgeSpec, counters: EdgeCounters): void {
    this.edges.set(istioLabels(edge), { edge, counters: { ...counters } });
  }

  /** Add to an edge's counters. */
  add(edge: EdgeSpec, deltas: EdgeCounters): void {
    const key = istioLabels(edge);
    const counters = this.edges.get(key)?.counters ?? {};
    for (const [k, v] of Object.entries(deltas) as [keyof EdgeCounters, number][]) counters[k] = (counters[k] ?? 0) + v;
    this.edges.set(key, { edge, counters });
  }

  /** A restarted proxy: every counter gone. */
  restart(): void {
    this.edges.clear();
  }

  exposition(): string {
    return istioExposition([...this.edges.values()], this.mode === 'nan' ? 'request_bytes' : undefined);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.scrapes += 1;
    if (req.url !== '/stats/prometheus') {
      res.writeHead(404).end();
      return;
    }
    switch (this.mode) {
      case 'http500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream connect error');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('# TYPE istio_requests_total counter\nistio_requests_total{reporter="source" 12\n');
        return;
      case 'hang':
        this.hanging.add(res);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('# TYPE istio_requests_total counter\n');
        return;
      default:
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.exposition());
    }
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A URL on 127.0.0.1 where nothing listens (connections are refused). */
export async function refusingUrl(): Promise<string> {
  const sidecar = await FakeSidecar.start('gone');
  const url = sidecar.url;
  await sidecar.close();
  return url;
}

/**
 * The standard scene: front-end's sidecar reports its calls to catalogue (two response codes)
 * and the calls it got from outside the mesh; catalogue's reports the same front-end → catalogue
 * requests again, as destination (a moment later: one more); user's, a TCP connection leaving
 * the mesh.
 */
export function setStandardCounters(frontEnd: FakeSidecar, catalogue: FakeSidecar, user: FakeSidecar): void {
  frontEnd.set({ reporter: 'source', src: 'front-end', dst: 'catalogue' }, { requests: 10, request_bytes: 3000, response_bytes: 50000 });
  frontEnd.set({ reporter: 'source', src: 'front-end', dst: 'catalogue', responseCode: '500' }, { requests: 2, request_bytes: 600, response_bytes: 100 });
  frontEnd.set({ reporter: 'destination', src: 'unknown', dst: 'front-end' }, { requests: 40, request_bytes: 8000, response_bytes: 900000 });
  catalogue.set({ reporter: 'destination', src: 'front-end', dst: 'catalogue' }, { requests: 13, request_bytes: 3700, response_bytes: 50200 });
  user.set({ reporter: 'source', src: 'user', dst: 'PassthroughCluster' }, { tcp_sent_bytes: 200, tcp_received_bytes: 400000, tcp_connections: 1 });
}

/** Sidecars of front-end, catalogue and user with the standard counters. */
export async function startStandardSidecars(): Promise<[FakeSidecar, FakeSidecar, FakeSidecar]> {
  const sidecars = await Promise.all([FakeSidecar.start('front-end'), FakeSidecar.start('catalogue'), FakeSidecar.start('user')]);
  setStandardCounters(...sidecars);
  return sidecars;
}

/**
 * The standard scene's totals read with reporter "source": each edge counted once, from the
 * caller's sidecar (from the destination for callers without one), aliases applied.
 */
export const STANDARD_TOTALS: Readonly<Record<string, number>> = {
  'requests front-end>catalogue': 12,
  'request_bytes front-end>catalogue': 3600,
  'response_bytes front-end>catalogue': 50100,
  'requests external>front-end': 40,
  'request_bytes external>front-end': 8000,
  'response_bytes external>front-end': 900000,
  'tcp_sent_bytes user>external': 200,
  'tcp_received_bytes user>external': 400000,
  'tcp_connections user>external': 1,
};
