import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Exec, type V1Pod } from '@kubernetes/client-node';
import type { TrafficParameters } from '../config/index.ts';
import { locustDir, locustEnvironment, LOCUST_READY_LINE, readLocustStats } from '../traffic/index.ts';
import type { TrafficGenerator, TrafficStats } from '../types.ts';
import { applyManifests } from './applyManifests.ts';
import type { KubeClient } from './KubeClient.ts';
import { describeKubeError, isNotFound } from './kubeErrors.ts';
import { configMapFromFolder, parseManifestFile, type KubeObject } from './manifests.ts';
import { realClock, type Clock } from './waitForRollouts.ts';

export interface InClusterLocustOptions {
  readonly client: KubeClient;
  /** Namespace of the Sock Shop (the users call its front-end Service). */
  readonly appNamespace: string;
  /** Users, load shape, think time, behaviour mix and seed. */
  readonly traffic: TrafficParameters;
  /** Length of the run the load shape is spread over. */
  readonly durationSeconds: number;
  /** Where the statistics read from the pod's log are written (traffic-stats source). */
  readonly statsFile: string;
  /** The Job manifest (default: istio/locust/locust-job.yaml). */
  readonly jobFile?: string;
  /** Folder turned into the `locustfiles` ConfigMap (default: the repository's locust/). */
  readonly locustDir?: string;
  /** Longest wait for the Locust pod to start its users (image pull included). */
  readonly startTimeoutMillis?: number;
  /** Longest wait for Locust to print its statistics and exit after SIGTERM. */
  readonly stopTimeoutMillis?: number;
  readonly onProgress?: (message: string) => void;
  readonly clock?: Clock;
}

const STATS_MARKER = 'munnin-locust-stats:';

export const DEFAULT_LOCUST_JOB = fileURLToPath(new URL('../../istio/locust/locust-job.yaml', import.meta.url));

/**
 * Background users from Locust running as a Job inside the cluster, outside the mesh: the same
 * locustfile as the local generator, shipped as a ConfigMap built from locust/ at start.
 * stop() sends SIGTERM through `exec`, reads the statistics Locust prints into its log, and
 * deletes the Job.
 */
export function createInClusterLocust(options: InClusterLocustOptions): TrafficGenerator {
  // First: it checks the traffic parameters, which are reported before any problem with the Job file.
  const env: Record<string, string> = {
    MUNNIN_HOST: `http://front-end.${options.appNamespace}.svc.cluster.local`,
    ...locustEnvironment(options.traffic, options.durationSeconds),
  };
  const { client } = options;
  const clock = options.clock ?? realClock;
  const note = options.onProgress ?? (() => {});
  const job = parseManifestFile(options.jobFile ?? DEFAULT_LOCUST_JOB).find((m) => m.object.kind === 'Job')?.object;
  if (!job) throw new Error(`${options.jobFile ?? DEFAULT_LOCUST_JOB}: no Job in it`);
  const namespace = job.metadata.namespace ?? 'munnin';
  let started = false;
  let stopping: Promise<TrafficStats> | undefined;

  const start = async () => {
    await deleteJob(client, job, clock, 60_000);
    const configMap = configMapFromFolder(options.locustDir ?? locustDir(), 'locustfiles', namespace);
    const env0 = { ...env, MUNNIN_RUN_TAG: clock.now().toString(36) };
    await applyManifests(client, [configMap, withEnv(job, env0)], { onProgress: () => {} });
    started = true;
    note(`kubernetes: in-cluster Locust starting (${namespace}/job/${job.metadata.name}, ${options.traffic.users} users at peak)...`);
    const deadline = clock.now() + (options.startTimeoutMillis ?? 300_000);
    for (;;) {
      const pod = await jobPod(client, namespace, job.metadata.name);
      const phase = pod?.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') throw new Error(`in-cluster Locust ended at start: ${tail(await podLog(client, pod!))}`);
      if (phase === 'Running' && (await podLog(client, pod!)).includes(LOCUST_READY_LINE)) break;
      if (clock.now() >= deadline) throw new Error(`in-cluster Locust did not start within ${Math.round((options.startTimeoutMillis ?? 300_000) / 1000)} s (pod ${pod?.metadata?.name ?? 'not created'}, phase ${phase ?? '-'})`);
      await clock.sleep(1000);
    }
    note('kubernetes: in-cluster Locust running');
  };

  const stop = async (): Promise<TrafficStats> => {
    if (!started) return { generator: 'locust', requests: 0, failures: 0, inCluster: true };
    const pod = await jobPod(client, namespace, job.metadata.name);
    if (!pod?.metadata?.name) throw new Error(`in-cluster Locust: its pod is gone; no statistics`);
    if (pod.status?.phase === 'Running') await signalLocust(client, namespace, pod.metadata.name);
    const deadline = clock.now() + (options.stopTimeoutMillis ?? 60_000);
    let current: V1Pod | undefined = pod;
    while (current?.status?.phase === 'Running' || current?.status?.phase === 'Pending') {
      if (clock.now() >= deadline) throw new Error(`in-cluster Locust did not exit within ${Math.round((options.stopTimeoutMillis ?? 60_000) / 1000)} s of SIGTERM`);
      await clock.sleep(500);
      current = await jobPod(client, namespace, job.metadata.name);
    }
    const log = current ? await podLog(client, current) : '';
    const at = log.lastIndexOf(STATS_MARKER);
    if (at === -1) throw new Error(`in-cluster Locust printed no statistics: ${tail(log)}`);
    writeFileSync(options.statsFile, log.slice(at + STATS_MARKER.length).trim());
    const stats = readLocustStats(options.statsFile);
    await deleteJob(client, job, clock, 0);
    return { ...stats, inCluster: true };
  };

  return {
    kind: 'locust',
    start,
    stop: () => (stopping ??= stop()),
  };
}

function withEnv(job: KubeObject, values: Record<string, string>): KubeObject {
  const copy = structuredClone(job) as KubeObject & { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } };
  const container = copy.spec.template.spec.containers[0];
  if (!container) throw new Error(`job ${job.metadata.name}: no container`);
  const rest = (container.env ?? []).filter((e) => !(e.name in values));
  container.env = [...rest, ...Object.entries(values).map(([name, value]) => ({ name, value }))];
  return copy;
}

async function jobPod(client: KubeClient, namespace: string, jobName: string): Promise<V1Pod | undefined> {
  const pods = (await client.core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` })).items;
  return pods.find((p) => !p.metadata?.deletionTimestamp) ?? pods[0];
}

async function podLog(client: KubeClient, pod: V1Pod): Promise<string> {
  try {
    return await client.core.readNamespacedPodLog({ namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, container: 'locust' });
  } catch (e) {
    if (isNotFound(e)) return '';
    throw new Error(`in-cluster Locust: cannot read its log: ${describeKubeError(e)}`);
  }
}

/**
 * The command that sends SIGTERM to the Job's PID 1 (sh, which hands it to Locust). Through
 * the shell's own `kill` builtin: locustio/locust is python:3.x-slim, which has no procps and
 * so no `kill` program for exec to start.
 */
export const LOCUST_STOP_COMMAND: readonly string[] = ['sh', '-c', 'kill -TERM 1'];

/** SIGTERM to the Job's PID 1 (sh), which hands it to Locust. */
function signalLocust(client: KubeClient, namespace: string, pod: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // client-node throws on output for a stream it was given no sink for: give it discarding ones.
    const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
    new Exec(client.kubeconfig)
      .exec(namespace, pod, 'locust', [...LOCUST_STOP_COMMAND], discard(), discard(), null, false, (status) => {
        if (status.status === 'Success') resolve();
        else reject(new Error(`in-cluster Locust: ${LOCUST_STOP_COMMAND.join(' ')} failed: ${status.message ?? status.status}`));
      })
      .then((ws) => ws.on('close', () => setImmediate(resolve)))
      .catch((e: unknown) => reject(new Error(`in-cluster Locust: cannot signal pod ${pod}: ${e instanceof Error ? e.message : describeKubeError(e)}`)));
  });
}

/** Delete the Job (and its pods); when waitMillis > 0, wait until it is gone (a Job's template cannot be re-applied). */
async function deleteJob(client: KubeClient, job: KubeObject, clock: Clock, waitMillis: number): Promise<void> {
  const name = job.metadata.name;
  const namespace = job.metadata.namespace ?? 'munnin';
  try {
    await client.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' });
  } catch (e) {
    if (isNotFound(e)) return;
    throw new Error(`in-cluster Locust: cannot delete job ${namespace}/${name}: ${describeKubeError(e)}`);
  }
  const deadline = clock.now() + waitMillis;
  while (waitMillis > 0) {
    try {
      await client.batch.readNamespacedJob({ name, namespace });
    } catch (e) {
      if (isNotFound(e)) return;
      throw new Error(`in-cluster Locust: cannot read job ${namespace}/${name}: ${describeKubeError(e)}`);
    }
    if (clock.now() >= deadline) throw new Error(`in-cluster Locust: the previous job ${namespace}/${name} is still being deleted`);
    await clock.sleep(1000);
  }
}

function tail(log: string): string {
  return log.trim().split('\n').slice(-5).join(' | ') || '(empty log)';
}
