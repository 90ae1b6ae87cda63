import type { KubernetesObject } from '@kubernetes/client-node';
import { UserError } from '../errors.ts';
import { parseDurationSeconds } from '../telemetry/index.ts';
import type { KubeClient } from './KubeClient.ts';
import { isNotFound, kubeUserError } from './kubeErrors.ts';
import type { KubeObject } from './manifests.ts';

/** The pod annotation naming the ConfigMap whose `custom_bootstrap.json` Istio merges into Envoy's bootstrap. */
export const BOOTSTRAP_ANNOTATION = 'sidecar.istio.io/bootstrapOverride';
const BOOTSTRAP_KEY = 'custom_bootstrap.json';
/** Envoy's and Istio's default when nothing is set: 5 s. */
export const ISTIO_DEFAULT_FLUSH_SECONDS = 5;

/** How often the sidecars of the application namespace update what Prometheus reads. */
export interface StatsFlushSettings {
  /** Name of the bootstrap-override ConfigMap. */
  readonly configMap: string;
  /** Envoy's `stats_flush_interval`: histogram sums and counts. */
  readonly statsFlushSeconds: number;
  /** Istio's Telemetry `reportingInterval` (TCP byte counters of open connections); undefined: no Telemetry, 5 s. */
  readonly reportingIntervalSeconds: number;
  /** The slower of the two: no interval may be shorter. */
  readonly slowestSeconds: number;
}

/**
 * Read the flush settings from the manifests about to be applied, and check they hold for
 * every Deployment of the namespace: each names the bootstrap ConfigMap, which sets
 * `stats_flush_interval`, and a Telemetry sets the TCP `reportingInterval`. Problems are listed
 * all at once, naming the object and field.
 */
export function statsFlushSettings(objects: readonly KubeObject[], namespace: string): StatsFlushSettings {
  const problems: string[] = [];
  const deployments = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === namespace);
  const named = new Set<string>();
  for (const d of deployments) {
    const value = ((d['spec'] as { template?: { metadata?: { annotations?: Record<string, string> } } })?.template?.metadata?.annotations ?? {})[BOOTSTRAP_ANNOTATION];
    if (value) named.add(value);
    else problems.push(`Deployment ${namespace}/${d.metadata.name}: no ${BOOTSTRAP_ANNOTATION} annotation in its pod template (its sidecar would flush every ${ISTIO_DEFAULT_FLUSH_SECONDS} s)`);
  }
  if (named.size > 1) problems.push(`the Deployments of ${namespace} name different bootstrap ConfigMaps (${[...named].join(', ')})`);
  const configMap = [...named][0] ?? 'munnin-envoy-bootstrap';
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === namespace && o.metadata.name === configMap);
  let statsFlushSeconds = Number.NaN;
  if (!cm) problems.push(`ConfigMap ${namespace}/${configMap} (named by ${BOOTSTRAP_ANNOTATION}) is not among the manifests`);
  else {
    const text = (cm['data'] as Record<string, string> | undefined)?.[BOOTSTRAP_KEY];
    try {
      const value = (JSON.parse(text ?? '') as { stats_flush_interval?: unknown }).stats_flush_interval;
      statsFlushSeconds = parseDurationSeconds(value);
      if (Number.isNaN(statsFlushSeconds)) problems.push(`ConfigMap ${namespace}/${configMap}: ${BOOTSTRAP_KEY} has no valid stats_flush_interval (got ${JSON.stringify(value)}; e.g. "1s")`);
    } catch {
      problems.push(`ConfigMap ${namespace}/${configMap}: ${BOOTSTRAP_KEY} is missing or not JSON`);
    }
  }
  const telemetries = objects.filter((o) => o.kind === 'Telemetry' && o.metadata.namespace === namespace);
  const intervals = telemetries.flatMap((t) => ((t['spec'] as { metrics?: { reportingInterval?: unknown }[] } | undefined)?.metrics ?? []).map((m) => m.reportingInterval)).filter((v) => v !== undefined);
  let reportingIntervalSeconds = ISTIO_DEFAULT_FLUSH_SECONDS;
  if (intervals.length === 0) problems.push(`no Telemetry in ${namespace} sets metrics[].reportingInterval (TCP byte counters would be reported every ${ISTIO_DEFAULT_FLUSH_SECONDS} s)`);
  else {
    const seconds = intervals.map(parseDurationSeconds);
    if (seconds.some(Number.isNaN)) problems.push(`Telemetry in ${namespace}: metrics[].reportingInterval is not a duration (got ${intervals.map((v) => JSON.stringify(v)).join(', ')}; e.g. "1s")`);
    else reportingIntervalSeconds = Math.max(...seconds);
  }
  if (problems.length > 0) throw new UserError(`kubernetes: the stats flush is not configured as munnin needs (istio/05-telemetry.yaml): ${problems.join('; ')}`);
  return { configMap, statsFlushSeconds, reportingIntervalSeconds, slowestSeconds: Math.max(statsFlushSeconds, reportingIntervalSeconds) };
}

/** Intervals shorter than the flush read 0, 0, then a lump: refused. */
export function checkIntervalAgainstFlush(intervalSeconds: number, settings: StatsFlushSettings): void {
  if (intervalSeconds < settings.slowestSeconds) {
    throw new UserError(
      `intervalSeconds: ${intervalSeconds} s is shorter than the sidecars' stats flush (stats_flush_interval ${settings.statsFlushSeconds} s, Telemetry reportingInterval ${settings.reportingIntervalSeconds} s in istio/05-telemetry.yaml): ` +
        `most intervals would read no bytes; use --interval ${settings.slowestSeconds} or more`,
    );
  }
}

/**
 * After the rollout: the ConfigMap and Telemetry the API server holds say what was applied
 * (an admission webhook or another manager may have changed them), and every pod of the
 * namespace names the bootstrap ConfigMap (a pod started before the annotation keeps 5 s).
 */
export async function verifyStatsFlush(client: KubeClient, namespace: string, settings: StatsFlushSettings): Promise<void> {
  const problems: string[] = [];
  try {
    const cm = await client.core.readNamespacedConfigMap({ namespace, name: settings.configMap });
    const seconds = parseDurationSeconds((JSON.parse(cm.data?.[BOOTSTRAP_KEY] ?? '{}') as { stats_flush_interval?: unknown }).stats_flush_interval);
    if (seconds !== settings.statsFlushSeconds) problems.push(`ConfigMap ${namespace}/${settings.configMap} on the cluster sets stats_flush_interval ${Number.isNaN(seconds) ? 'not at all' : `${seconds} s`}, not ${settings.statsFlushSeconds} s`);
  } catch (e) {
    if (e instanceof SyntaxError) problems.push(`ConfigMap ${namespace}/${settings.configMap} on the cluster: ${BOOTSTRAP_KEY} is not JSON`);
    else if (isNotFound(e)) problems.push(`ConfigMap ${namespace}/${settings.configMap} is not on the cluster`);
    else throw kubeUserError(`cannot read ConfigMap ${namespace}/${settings.configMap}`, e);
  }
  let telemetries: KubernetesObject[] = [];
  try {
    telemetries = (await client.objects.list('telemetry.istio.io/v1', 'Telemetry', namespace)).items;
  } catch (e) {
    throw kubeUserError(`cannot list the Telemetry resources of ${namespace} (Istio 1.22 or later serves telemetry.istio.io/v1)`, e);
  }
  const reported = telemetries.flatMap((t) => ((t as { spec?: { metrics?: { reportingInterval?: unknown }[] } }).spec?.metrics ?? []).map((m) => parseDurationSeconds(m.reportingInterval)).filter((v) => !Number.isNaN(v)));
  const slowest = reported.length > 0 ? Math.max(...reported) : ISTIO_DEFAULT_FLUSH_SECONDS;
  if (slowest > settings.reportingIntervalSeconds) problems.push(`the Telemetry resources of ${namespace} on the cluster report TCP metrics every ${slowest} s, not ${settings.reportingIntervalSeconds} s`);
  let pods;
  try {
    pods = (await client.core.listNamespacedPod({ namespace })).items;
  } catch (e) {
    throw kubeUserError(`cannot list the pods of namespace "${namespace}"`, e);
  }
  const without = pods.filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.annotations?.[BOOTSTRAP_ANNOTATION] !== settings.configMap).map((p) => p.metadata?.name ?? '?');
  if (without.length > 0) problems.push(`pods without ${BOOTSTRAP_ANNOTATION}: ${settings.configMap} (their sidecars flush every ${ISTIO_DEFAULT_FLUSH_SECONDS} s): ${without.join(', ')}; \`kubectl -n ${namespace} rollout restart deployment\``);
  if (problems.length > 0) throw new UserError(`kubernetes: the stats flush set in istio/05-telemetry.yaml is not in effect: ${problems.join('; ')}`);
}
