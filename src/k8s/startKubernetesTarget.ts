import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesParameters, TrafficParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { urlForMessage } from '../urlForMessage.ts';
import { reportError } from '../logger.ts';
import { SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS } from '../mesh/index.ts';
import type { Target, TrafficGenerator } from '../types.ts';
import { readScrapeInterval } from '../telemetry/index.ts';
import { applyManifests } from './applyManifests.ts';
import { checkSidecars } from './checkSidecars.ts';
import { execLateral, execScan, servicePorts } from './execAttack.ts';
import { ATTACKER_CONTAINER, execEgress } from './execEgress.ts';
import { createInClusterLocust } from './inClusterLocust.ts';
import { connectKube, type KubeClient } from './KubeClient.ts';
import { loadManifests, retargetNamespace, type KubeObject } from './manifests.ts';
import { populateCustomers } from './populateCustomers.ts';
import { preflight, type PreflightResult } from './preflight.ts';
import { statsFlushSettings, verifyStatsFlush, type StatsFlushSettings } from './statsFlush.ts';
import { CARRIED_AUTHORIZATION_HEADER, startServiceForward, type ServiceForward } from './serviceForward.ts';
import { teardown } from './teardown.ts';
import { waitForRollouts, type Clock } from './waitForRollouts.ts';

/** The namespace the manifests in istio/ are written for (renamed to kubernetes.namespace). */
export const MANIFEST_NAMESPACE = 'sock-shop';
export const DEFAULT_MANIFESTS_DIR = fileURLToPath(new URL('../../istio/', import.meta.url));
/** The relay local shoppers reach the front-end through (istio/30-front-end-relay.yaml). */
export const FRONT_END_RELAY = { namespace: 'munnin', service: 'front-end-relay', port: 80 } as const;

export interface KubernetesTargetOptions {
  /** Context, namespace, teardown and rollout time-out (parameters.ts `kubernetes`). */
  readonly kubernetes: KubernetesParameters;
  /** telemetry.prometheus.url: when set, no in-cluster Prometheus is looked for. */
  readonly prometheusUrl?: string | undefined;
  /** Customers to have in user-db (parameters.ts `mesh.customers`; default 300). */
  readonly customers?: number;
  /**
   * The experiment's interval length (parameters.ts `intervalSeconds`): refused when shorter
   * than the sidecars' stats flush or than the Prometheus's scrape interval. Undefined: not checked.
   */
  readonly intervalSeconds?: number;
  /** Parsed kubeconfig (tests); default: $KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig?: KubeConfig;
  /** Folder of manifests to apply (default: the repository's istio/). */
  readonly manifestsDir?: string;
  /** Progress lines for the user. */
  readonly onProgress?: (message: string) => void;
  /** Time for the rollout wait (tests pass a virtual clock). */
  readonly clock?: Clock;
  /** Pause between two looks at the rollouts. */
  readonly rolloutPollMillis?: number;
  /** Per-request API time-out. */
  readonly requestTimeoutMillis?: number;
  /** Aborting stops the start-up between steps and during the rollout wait (AbortError), cleaning up as on failure. */
  readonly signal?: AbortSignal;
}

/** The application on a cluster: the Target seam plus what the experiment needs to read it. */
export interface KubernetesTarget extends Target {
  readonly kind: 'kubernetes';
  /** Prometheus-API base URL to read telemetry from (the user's, or a local forward to the in-cluster one). */
  readonly prometheusUrl: string;
  /** How often that Prometheus scrapes the sidecars, read from its configuration (undefined: unreadable). */
  readonly prometheusScrapeIntervalSeconds: number | undefined;
  /** The sidecars' stats flush and TCP reporting interval applied from istio/05-telemetry.yaml. */
  readonly statsFlush: StatsFlushSettings;
  /** Context used. */
  readonly context: string;
  /** Namespace of the Sock Shop. */
  readonly namespace: string;
  /** Workloads egress() can act for (those with an `attacker` container): validate exfiltration specs against it. */
  readonly compromisable: readonly string[];
  /** For run.json: where the run happened (no credentials). */
  describe(): Readonly<Record<string, unknown>>;
  /** Locust as a Job inside the cluster (outside the mesh), instead of a local process. */
  createInClusterLocust(options: { readonly traffic: TrafficParameters; readonly durationSeconds: number; readonly statsFile: string }): TrafficGenerator;
}

/**
 * Bring the Sock Shop up on a Kubernetes + Istio cluster and hand back the Target: preflight
 * checks, server-side apply of istio/, rollouts awaited, sidecars verified, local forwards to
 * the front-end and Prometheus, customers registered. If any step fails, what was started is
 * stopped again (and torn down when kubernetes.teardown is set) before the error is thrown.
 */
export async function startKubernetesTarget(options: KubernetesTargetOptions): Promise<KubernetesTarget> {
  const note = options.onProgress ?? (() => {});
  const { namespace } = options.kubernetes;
  const client = connectKube({
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.kubernetes.context ? { context: options.kubernetes.context } : {}),
    ...(options.requestTimeoutMillis ? { requestTimeoutMillis: options.requestTimeoutMillis } : {}),
  });
  const objects = retargetNamespace(loadManifests(options.manifestsDir ?? DEFAULT_MANIFESTS_DIR), MANIFEST_NAMESPACE, namespace).map((m) => m.object);
  const statsFlush = statsFlushSettings(objects, namespace);
  const checked = await preflight(client, {
    namespace,
    statsFlush,
    ...(options.intervalSeconds !== undefined ? { intervalSeconds: options.intervalSeconds } : {}),
    ...(options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : {}),
    onProgress: note,
  });
  const forwards: ServiceForward[] = [];
  let applied = false;
  const release = async () => {
    await Promise.all(forwards.map((f) => f.close()));
    if (applied && options.kubernetes.teardown) await teardown(client, objects, note);
  };
  try {
    // Before anything is applied: a Prometheus scraping less often than the intervals is refused now, not after the rollout.
    const prometheusUrl = await prometheusEndpoint(client, checked, forwards, note);
    const scrapeIntervalSeconds = await prometheusScrapeInterval(prometheusUrl, checked.prometheus.kind === 'url', options.intervalSeconds, note);
    options.signal?.throwIfAborted();
    note(`kubernetes: applying ${objects.length} objects (server-side apply, field manager munnin)...`);
    applied = true;
    const result = await applyManifests(client, objects, { onProgress: (m) => note(m) });
    note(`kubernetes: ${result.created.length} created, ${result.changed.length - result.created.length} updated, ${result.applied.length - result.changed.length} unchanged`);
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => ({ namespace: o.metadata.namespace ?? namespace, name: o.metadata.name }));
    await waitForRollouts(client, deployments, {
      timeoutMillis: options.kubernetes.rolloutTimeoutMillis,
      onProgress: note,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.rolloutPollMillis ? { pollMillis: options.rolloutPollMillis } : {}),
    });
    await checkSidecars(client, namespace);
    await verifyStatsFlush(client, namespace, statsFlush);
    options.signal?.throwIfAborted();
    const frontEnd = await forwardFrontEnd(client, objects, namespace, note);
    forwards.push(frontEnd);
    options.signal?.throwIfAborted();
    try {
      await populateCustomers(frontEnd.url, { customers: options.customers ?? 300, onProgress: note });
    } catch (e) {
      // The cluster's Sock Shop refusing sign-ups is the environment's problem, not a bug here.
      throw new UserError(`kubernetes: cannot register the customers through the front-end: ${e instanceof Error ? e.message : String(e)}`);
    }
    options.signal?.throwIfAborted();
    return makeTarget(client, objects, checked, { frontEndUrl: frontEnd.url, prometheusUrl, scrapeIntervalSeconds, statsFlush }, namespace, release);
  } catch (e) {
    try {
      await release();
    } catch (cleanupError) {
      reportError('kubernetes: while cleaning up after a failed start', cleanupError);
    }
    throw e;
  }
}

/**
 * The local front-end URL: through the API server's services proxy to the relay in munnin's
 * namespace, which restores the shoppers' Basic credentials the API server strips. Without
 * the relay among the manifests, straight to the front-end (logins then fail: said once).
 */
async function forwardFrontEnd(client: KubeClient, objects: readonly KubeObject[], namespace: string, note: (m: string) => void): Promise<ServiceForward> {
  const relay = objects.some((o) => o.kind === 'Service' && o.metadata.name === FRONT_END_RELAY.service && o.metadata.namespace === FRONT_END_RELAY.namespace);
  if (!relay) {
    const forward = await startServiceForward(client, { namespace, service: 'front-end', port: 80 });
    note(`kubernetes: front-end at ${forward.url} (via the API server's service proxy; no ${FRONT_END_RELAY.namespace}/${FRONT_END_RELAY.service} among the manifests, so the API server strips the shoppers' Basic credentials and their logins fail)`);
    return forward;
  }
  const forward = await startServiceForward(client, { ...FRONT_END_RELAY, carryAuthorizationAs: CARRIED_AUTHORIZATION_HEADER });
  note(`kubernetes: front-end at ${forward.url} (via the API server's service proxy and ${FRONT_END_RELAY.namespace}/${FRONT_END_RELAY.service})`);
  return forward;
}

async function prometheusEndpoint(client: KubeClient, checked: PreflightResult, forwards: ServiceForward[], note: (m: string) => void): Promise<string> {
  const p = checked.prometheus;
  if (p.kind === 'url') return p.url;
  const forward = await startServiceForward(client, { namespace: p.namespace, service: p.service, port: p.port });
  forwards.push(forward);
  note(`kubernetes: Prometheus ${p.namespace}/${p.service} at ${forward.url}`);
  return forward.url;
}

/**
 * The Prometheus's scrape interval from its own configuration; an experiment interval shorter
 * than it is refused. One that does not answer at all fails here, before anything is applied: a
 * run read from it would be all gaps. One that answers with an error (a store without the
 * status API, credentials this unauthenticated read lacks) is only warned about.
 */
async function prometheusScrapeInterval(url: string, given: boolean, intervalSeconds: number | undefined, note: (m: string) => void): Promise<number | undefined> {
  const reading = await readScrapeInterval(url);
  if ('error' in reading) {
    if (reading.unreachable) {
      throw new UserError(`kubernetes: Prometheus at ${urlForMessage(url)} does not answer (${reading.error})${given ? ': check --prometheus-url (telemetry.prometheus.url)' : " through the API server's service proxy: check its pod"}`);
    }
    note(`kubernetes: warning: cannot read how often Prometheus (${urlForMessage(url)}) scrapes (${reading.error}); assuming telemetry.prometheus.scrapeIntervalSeconds`);
    return undefined;
  }
  note(`kubernetes: Prometheus scrapes the sidecars every ${reading.seconds} s (its configuration${reading.jobs.length > 0 ? `, job ${reading.jobs.join(', ')}` : ''})`);
  if (intervalSeconds !== undefined && intervalSeconds < reading.seconds) {
    throw new UserError(
      `intervalSeconds: ${intervalSeconds} s is shorter than the ${reading.seconds}-s scrape interval of the Prometheus in use (${urlForMessage(url)}): most intervals would read no change; ` +
        `use --interval ${reading.seconds} or more, or \`kubectl apply -f istio/prometheus/prometheus.yaml\` (1 s)`,
    );
  }
  return reading.seconds;
}

function makeTarget(
  client: KubeClient,
  objects: readonly KubeObject[],
  checked: PreflightResult,
  reached: { readonly frontEndUrl: string; readonly prometheusUrl: string; readonly scrapeIntervalSeconds: number | undefined; readonly statsFlush: StatsFlushSettings },
  namespace: string,
  release: () => Promise<void>,
): KubernetesTarget {
  const { frontEndUrl, prometheusUrl, statsFlush } = reached;
  const appDeployments = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === namespace);
  const names = appDeployments.map((o) => o.metadata.name);
  // Known workloads in the embedded mesh's order (same run.json `services` on both targets), extras after.
  const services = [...SOCK_SHOP_WORKLOADS.filter((w) => names.includes(w)), ...names.filter((n) => !SOCK_SHOP_WORKLOADS.includes(n))];
  const compromisable = new Set(
    appDeployments.filter((o) => ((o['spec'] as { template?: { spec?: { containers?: { name?: string }[] } } })?.template?.spec?.containers ?? []).some((c) => c.name === ATTACKER_CONTAINER)).map((o) => o.metadata.name),
  );
  const ports = servicePorts(objects, namespace);
  let stopped: Promise<void> | undefined;
  return {
    kind: 'kubernetes',
    frontEndUrl,
    prometheusUrl,
    prometheusScrapeIntervalSeconds: reached.scrapeIntervalSeconds,
    statsFlush,
    context: client.context,
    namespace,
    compromisable: [...compromisable],
    services,
    topology: SOCK_SHOP_EDGES.filter((e) => services.includes(e.src) && services.includes(e.dst)),
    scrapeTargets: [],
    egress: async (workload, bytes) => {
      if (!compromisable.has(workload)) {
        throw new UserError(`exfiltration.workload: "${workload}" cannot be compromised on the Kubernetes target (only ${[...compromisable].join(', ') || 'none'} has an "${ATTACKER_CONTAINER}" container in istio/)`);
      }
      return execEgress(client, { namespace, workload, bytes });
    },
    attackers: [...compromisable],
    scan: (workload, targets, o) => execScan(client, { namespace, workload, targets, ports, secondsBetweenTargets: o.secondsBetweenTargets, ...(o.signal ? { signal: o.signal } : {}) }),
    lateral: (workload, to, o) => execLateral(client, { namespace, workload, to, ports, calls: o.calls, secondsBetweenCalls: o.secondsBetweenCalls, ...(o.signal ? { signal: o.signal } : {}) }),
    describe: () => ({
      context: client.context,
      server: client.server,
      serverVersion: checked.serverVersion,
      istioVersion: checked.istioVersion ?? null,
      namespace,
      prometheus: checked.prometheus.kind === 'url' ? { url: urlForMessage(checked.prometheus.url) } : { service: `${checked.prometheus.namespace}/${checked.prometheus.service}:${checked.prometheus.port}` },
      prometheusScrapeIntervalSeconds: reached.scrapeIntervalSeconds ?? null,
      statsFlushSeconds: statsFlush.statsFlushSeconds,
      tcpReportingIntervalSeconds: statsFlush.reportingIntervalSeconds,
      outboundTrafficPolicy: checked.outboundTrafficPolicy ?? null,
    }),
    createInClusterLocust: (o) => createInClusterLocust({ client, appNamespace: namespace, ...o }),
    stop: () => (stopped ??= release()),
  };
}
