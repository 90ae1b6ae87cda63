// Istio's standard-metric labels, with Istio's values for the three kinds of peer: a workload
// of the mesh, a caller without a sidecar (`unknown`), and a destination outside the mesh
// (`PassthroughCluster`).

export type Reporter = 'source' | 'destination';

/** Stands for a destination outside the mesh. */
export const PASSTHROUGH = 'PassthroughCluster';

/** Labels of istio_tcp_* (Istio's TCP metrics carry no response_code). */
export const TCP_LABEL_NAMES = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_flags',
  'connection_security_policy',
] as const;

/** Labels of istio_requests_total and the HTTP histograms. */
export const HTTP_LABEL_NAMES = [...TCP_LABEL_NAMES, 'response_code', 'grpc_response_status'] as const;

export type TcpLabels = Record<(typeof TCP_LABEL_NAMES)[number], string>;
export type HttpLabels = Record<(typeof HTTP_LABEL_NAMES)[number], string>;

/** Who talks to whom, as one sidecar sees it. */
export interface Peers {
  readonly reporter: Reporter;
  /** Calling workload, or undefined for a caller without a sidecar. */
  readonly source: string | undefined;
  /** Called workload, or PASSTHROUGH for a destination outside the mesh. */
  readonly destination: string;
  /** Namespace of every mesh workload. */
  readonly namespace: string;
}

function tcpBase(p: Peers, protocol: 'http' | 'tcp'): TcpLabels {
  const src = p.source;
  const outside = p.destination === PASSTHROUGH;
  const dst = p.destination;
  const principal = (w: string) => `spiffe://cluster.local/ns/${p.namespace}/sa/${w}`;
  return {
    reporter: p.reporter,
    source_workload: src ?? 'unknown',
    source_workload_namespace: src === undefined ? 'unknown' : p.namespace,
    source_principal: src === undefined ? 'unknown' : principal(src),
    source_app: src ?? 'unknown',
    source_version: 'unknown',
    source_canonical_service: src ?? 'unknown',
    source_canonical_revision: 'latest',
    source_cluster: src === undefined ? 'unknown' : 'Kubernetes',
    destination_workload: outside ? 'unknown' : dst,
    destination_workload_namespace: outside ? 'unknown' : p.namespace,
    destination_principal: outside ? 'unknown' : principal(dst),
    destination_app: outside ? 'unknown' : dst,
    destination_version: 'unknown',
    destination_service: outside ? PASSTHROUGH : `${dst}.${p.namespace}.svc.cluster.local`,
    destination_service_name: outside ? PASSTHROUGH : dst,
    destination_service_namespace: outside ? 'unknown' : p.namespace,
    destination_canonical_service: outside ? 'unknown' : dst,
    destination_canonical_revision: outside ? 'unknown' : 'latest',
    destination_cluster: outside ? 'unknown' : 'Kubernetes',
    request_protocol: protocol,
    response_flags: '-',
    // Istio: the source proxy cannot know the policy ("unknown"); the destination knows
    // whether the peer came over mutual TLS (a sidecar) or in plain text (no sidecar).
    connection_security_policy: p.reporter === 'source' ? 'unknown' : src === undefined ? 'none' : 'mutual_tls',
  };
}

/** `responseFlags`: Envoy's, e.g. `UF` for a connection its upstream refused. */
export function tcpLabels(p: Peers, responseFlags = '-'): TcpLabels {
  return { ...tcpBase(p, 'tcp'), response_flags: responseFlags };
}

/** `responseCode` 0 means no response (connection failure), with `responseFlags` saying why. */
export function httpLabels(p: Peers, responseCode: number, responseFlags = '-'): HttpLabels {
  return { ...tcpBase(p, 'http'), response_flags: responseFlags, response_code: String(responseCode), grpc_response_status: '' };
}
