import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { UserError } from '../errors.ts';
import { urlForMessage } from '../urlForMessage.ts';
import type { KubeClient } from './KubeClient.ts';
import { describeKubeError, isNotFound, kubeUserError, statusCodeOf } from './kubeErrors.ts';
import { checkIntervalAgainstFlush, type StatsFlushSettings } from './statsFlush.ts';

/** Where munnin reads telemetry from on a cluster. */
export type PrometheusLocation =
  | { readonly kind: 'url'; /** Given by the user (telemetry.prometheus.url / --prometheus-url). */ readonly url: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly service: string; readonly port: number };

export interface PreflightOptions {
  /** Namespace the Sock Shop goes into. */
  readonly namespace: string;
  /** A Prometheus-API URL given by the user: no in-cluster Prometheus is then needed. */
  readonly prometheusUrl?: string;
  /** Services tried, in order, when no URL is given. */
  readonly prometheusCandidates?: readonly { readonly namespace: string; readonly service: string }[];
  /** The stats flush the manifests set (statsFlushSettings): an interval shorter than it is refused. */
  readonly statsFlush?: StatsFlushSettings;
  /** The experiment's interval length (parameters.ts `intervalSeconds`), checked against the flush. */
  readonly intervalSeconds?: number;
  readonly onProgress?: (message: string) => void;
}

/** Istio's mesh-wide `outboundTrafficPolicy.mode`; undefined when its mesh config could not be read. */
export type OutboundTrafficPolicy = 'ALLOW_ANY' | 'REGISTRY_ONLY' | undefined;

export interface PreflightResult {
  /** API server version, e.g. v1.31.0. */
  readonly serverVersion: string;
  /** Istio's version, from istiod's image tag (undefined when the tag says nothing). */
  readonly istioVersion: string | undefined;
  /** False when the application namespace does not exist yet (apply creates it, labelled). */
  readonly namespaceExists: boolean;
  readonly prometheus: PrometheusLocation;
  /** Where traffic to unknown addresses goes (the `egress` upload to the sink). */
  readonly outboundTrafficPolicy: OutboundTrafficPolicy;
}

/** munnin's own Prometheus first (1 s scrapes), then Istio's add-on (15 s). */
export const DEFAULT_PROMETHEUS_CANDIDATES = [
  { namespace: 'munnin-monitoring', service: 'prometheus' },
  { namespace: 'istio-system', service: 'prometheus' },
] as const;

/**
 * Everything that must hold before munnin touches the cluster, checked in order, each failing
 * fast with one message saying what is wrong and how to fix it: the API server answers, Istio's
 * control plane runs, the namespace can get sidecars, and a Prometheus is there (or a URL given).
 */
export async function preflight(client: KubeClient, options: PreflightOptions): Promise<PreflightResult> {
  const note = options.onProgress ?? (() => {});
  if (options.statsFlush && options.intervalSeconds !== undefined) checkIntervalAgainstFlush(options.intervalSeconds, options.statsFlush);
  const serverVersion = await checkReachable(client);
  note(`kubernetes: context "${client.context}" reachable (${client.server}, ${serverVersion})`);
  const istioVersion = await checkIstio(client);
  note(`kubernetes: Istio control plane found (istiod${istioVersion ? ` ${istioVersion}` : ''})`);
  if (options.statsFlush) {
    await checkTelemetryApi(client, options.namespace);
    note(`kubernetes: sidecar stats flush and TCP reporting set to ${options.statsFlush.statsFlushSeconds} s and ${options.statsFlush.reportingIntervalSeconds} s (istio/05-telemetry.yaml; Istio's default: 5 s)`);
  }
  const outboundTrafficPolicy = await checkOutboundPolicy(client, note);
  await checkArchitecture(client, note);
  const namespaceExists = await checkInjection(client, options.namespace);
  const prometheus = options.prometheusUrl
    ? ({ kind: 'url', url: options.prometheusUrl } as const)
    : await findPrometheus(client, options.prometheusCandidates ?? DEFAULT_PROMETHEUS_CANDIDATES);
  note(`kubernetes: Prometheus: ${prometheus.kind === 'url' ? urlForMessage(prometheus.url) : `service ${prometheus.namespace}/${prometheus.service}:${prometheus.port}`}`);
  return { serverVersion, istioVersion, namespaceExists, prometheus, outboundTrafficPolicy };
}

/**
 * The 2017 weaveworksdemos/* images exist for amd64 only: on arm64 nodes (minikube on Apple
 * silicon) they run only under emulation, else their pods fail with "exec format error".
 * Said, not refused: Docker Desktop with Rosetta runs them.
 */
async function checkArchitecture(client: KubeClient, note: (m: string) => void): Promise<void> {
  let architectures: string[];
  try {
    architectures = (await client.core.listNode()).items.map((n) => n.status?.nodeInfo?.architecture ?? '').filter((a) => a !== '');
  } catch (e) {
    if (statusCodeOf(e) === 403) return; // listing nodes is a cluster-wide right many users lack; the check is only advice
    throw kubeUserError('cannot list the nodes', e);
  }
  if (architectures.length > 0 && !architectures.includes('amd64')) {
    note(
      `kubernetes: warning: the cluster's nodes are ${[...new Set(architectures)].join(', ')}, and the weaveworksdemos/* images are built for amd64 only: ` +
        'they run there only under emulation (Docker Desktop with "Use Rosetta" on Apple silicon); otherwise their pods fail with "exec format error"',
    );
  }
}

/** The Telemetry resource that sets the TCP reporting interval needs Istio's telemetry.istio.io/v1 (Istio 1.22+). */
async function checkTelemetryApi(client: KubeClient, namespace: string): Promise<void> {
  try {
    await client.objects.list('telemetry.istio.io/v1', 'Telemetry', namespace);
  } catch (e) {
    if (isNotFound(e) || (e instanceof Error && /Unrecognized API version and kind/.test(e.message))) {
      throw new UserError(`kubernetes: the cluster does not serve telemetry.istio.io/v1 Telemetry, which munnin uses to report TCP bytes every second: Istio 1.22 or later is needed (\`istioctl version\`)`);
    }
    throw kubeUserError(`cannot list the Telemetry resources of namespace "${namespace}"`, e);
  }
}

/**
 * Istio's mesh config (ConfigMap istio-system/istio, key `mesh`): with `REGISTRY_ONLY` the
 * sidecars send traffic for unknown addresses to `BlackHoleCluster` instead of through
 * `PassthroughCluster`, so the `egress` upload is cut off. Not fatal (telemetry.aliases maps
 * BlackHoleCluster to external, and a researcher may want exactly that), but said.
 */
async function checkOutboundPolicy(client: KubeClient, note: (m: string) => void): Promise<OutboundTrafficPolicy> {
  let text: string | undefined;
  try {
    text = (await client.core.readNamespacedConfigMap({ namespace: 'istio-system', name: 'istio' })).data?.['mesh'];
  } catch (e) {
    if (!isNotFound(e)) throw kubeUserError("cannot read Istio's mesh config (ConfigMap istio-system/istio)", e);
  }
  let mode: unknown;
  try {
    mode = (parse(text ?? '') as { outboundTrafficPolicy?: { mode?: unknown } } | null)?.outboundTrafficPolicy?.mode;
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    note("kubernetes: warning: Istio's mesh config (ConfigMap istio-system/istio, key mesh) not found or unreadable; assuming outboundTrafficPolicy ALLOW_ANY");
    return undefined;
  }
  if (mode === 'REGISTRY_ONLY') {
    note(
      "kubernetes: warning: Istio's outboundTrafficPolicy is REGISTRY_ONLY: the egress upload to the sink is cut off by the sidecar and appears as user → BlackHoleCluster (read as external), with few bytes; " +
        'for uploads that get through: `istioctl install --set profile=demo --set meshConfig.outboundTrafficPolicy.mode=ALLOW_ANY -y`',
    );
    return 'REGISTRY_ONLY';
  }
  return 'ALLOW_ANY';
}

async function checkReachable(client: KubeClient): Promise<string> {
  try {
    return (await client.version.getCode()).gitVersion;
  } catch (e) {
    const code = statusCodeOf(e);
    if (code === 401) {
      throw new UserError(`kubernetes: the API server of context "${client.context}" (${client.server}) rejected the kubeconfig's credentials (401 Unauthorized): log in again`);
    }
    if (code !== undefined) throw kubeUserError(`context "${client.context}": the API server (${client.server}) answered /version with an error`, e);
    throw new UserError(`kubernetes: cannot reach the API server of context "${client.context}" at ${client.server}: ${describeKubeError(e)} (is the cluster running? e.g. \`minikube status\`)`);
  }
}

async function checkIstio(client: KubeClient): Promise<string | undefined> {
  let istiod: V1Deployment | undefined;
  try {
    istiod = await client.apps.readNamespacedDeployment({ namespace: 'istio-system', name: 'istiod' });
  } catch (e) {
    if (!isNotFound(e)) throw kubeUserError("cannot look for Istio's control plane (deployment istio-system/istiod)", e);
    // Revision-based installs name it istiod-<revision>.
    try {
      istiod = (await client.apps.listNamespacedDeployment({ namespace: 'istio-system', labelSelector: 'app=istiod' })).items[0];
    } catch (e2) {
      if (!isNotFound(e2)) throw kubeUserError("cannot look for Istio's control plane (deployments in istio-system)", e2);
    }
  }
  if (!istiod) {
    throw new UserError(
      `kubernetes: Istio's control plane not found in context "${client.context}": no istiod deployment in namespace istio-system (install Istio first: \`istioctl install --set profile=demo -y\`)`,
    );
  }
  if ((istiod.status?.availableReplicas ?? 0) < 1) {
    throw new UserError(`kubernetes: istiod (istio-system/${istiod.metadata?.name}) has no available replica: check \`kubectl -n istio-system get pods\``);
  }
  const image = istiod.spec?.template.spec?.containers[0]?.image ?? '';
  const tag = /:([^:@/]+)(@.*)?$/.exec(image)?.[1];
  return tag;
}

async function checkInjection(client: KubeClient, namespace: string): Promise<boolean> {
  let labels: Record<string, string>;
  let phase: string | undefined;
  try {
    const ns = await client.core.readNamespace({ name: namespace });
    labels = ns.metadata?.labels ?? {};
    phase = ns.status?.phase;
  } catch (e) {
    if (isNotFound(e)) return false; // applying the manifests creates it, labelled for injection
    throw kubeUserError(`cannot read namespace "${namespace}"`, e);
  }
  if (phase === 'Terminating') {
    throw new UserError(`kubernetes: namespace "${namespace}" is being deleted (an earlier teardown?); wait until \`kubectl get namespace ${namespace}\` finds nothing, then run again`);
  }
  if (labels['istio.io/rev'] || labels['istio-injection'] === 'enabled') return true;
  if (labels['istio-injection'] === 'disabled') {
    throw new UserError(`kubernetes: namespace "${namespace}" has sidecar injection disabled (istio-injection=disabled): \`kubectl label namespace ${namespace} istio-injection=enabled --overwrite\``);
  }
  let pods = 0;
  try {
    pods = (await client.core.listNamespacedPod({ namespace, limit: 1 })).items.length;
  } catch (e) {
    throw kubeUserError(`cannot list the pods of namespace "${namespace}"`, e);
  }
  if (pods > 0) {
    throw new UserError(
      `kubernetes: namespace "${namespace}" is not labelled for sidecar injection and already has pods, which would stay without sidecars: ` +
        `\`kubectl label namespace ${namespace} istio-injection=enabled && kubectl -n ${namespace} rollout restart deployment\``,
    );
  }
  return true;
}

/** The first candidate Service that exists, with its HTTP port. */
export async function findPrometheus(client: KubeClient, candidates: readonly { readonly namespace: string; readonly service: string }[]): Promise<PrometheusLocation> {
  for (const c of candidates) {
    let svc: V1Service;
    try {
      svc = await client.core.readNamespacedService({ namespace: c.namespace, name: c.service });
    } catch (e) {
      if (isNotFound(e)) continue;
      throw kubeUserError(`cannot look for Prometheus (service ${c.namespace}/${c.service})`, e);
    }
    const ports = svc.spec?.ports ?? [];
    const port = ports.find((p) => p.port === 9090) ?? ports.find((p) => p.name?.startsWith('http')) ?? ports[0];
    if (!port) throw new UserError(`kubernetes: service ${c.namespace}/${c.service} has no ports`);
    return { kind: 'service', namespace: c.namespace, service: c.service, port: port.port };
  }
  throw new UserError(
    `kubernetes: no Prometheus found in context "${client.context}" (looked for ${candidates.map((c) => `service ${c.namespace}/${c.service}`).join(', ')}): ` +
      '`kubectl apply -f istio/prometheus/prometheus.yaml`, or install Istio\'s add-on (samples/addons/prometheus.yaml), or give one with --prometheus-url',
  );
}
