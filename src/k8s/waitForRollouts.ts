import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { UserError } from '../errors.ts';
import type { KubeClient } from './KubeClient.ts';
import { describeKubeError, kubeUserError, statusCodeOf } from './kubeErrors.ts';

/** Time as the waits see it; tests pass a virtual one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(millis: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (millis) => new Promise((resolve) => setTimeout(resolve, millis)),
};

export interface RolloutOptions {
  /** Longest wait for every rollout to finish. */
  readonly timeoutMillis: number;
  /** Pause between two looks at the deployments. */
  readonly pollMillis?: number;
  readonly onProgress?: (message: string) => void;
  readonly clock?: Clock;
  /** Aborting ends the wait with an AbortError (Ctrl-C during a long first rollout). */
  readonly signal?: AbortSignal;
}

/** Why a deployment is not rolled out yet (undefined when it is). */
export function rolloutPending(d: V1Deployment): string | undefined {
  const wanted = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  const generation = d.metadata?.generation ?? 0;
  // Same tests as `kubectl rollout status`: the controller must have seen this generation,
  // every replica must run the new template, old ones must be gone, and all be available.
  if ((st.observedGeneration ?? 0) < generation) return `controller has not seen generation ${generation} yet`;
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return `progress deadline exceeded`;
  const updated = st.updatedReplicas ?? 0;
  if (updated < wanted) return `${updated}/${wanted} updated`;
  if ((st.replicas ?? 0) > updated) return `${(st.replicas ?? 0) - updated} old replica(s) terminating`;
  const available = st.availableReplicas ?? 0;
  if (available < wanted) return `${available}/${wanted} available`;
  return undefined;
}

/**
 * Wait until every named Deployment has rolled out, printing progress whenever the count of
 * ready ones changes. Past the time-out, fails with one message naming each laggard and, from
 * its pods, why (ImagePullBackOff, CrashLoopBackOff, ...).
 */
export async function waitForRollouts(client: KubeClient, deployments: readonly { readonly namespace: string; readonly name: string }[], options: RolloutOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const note = options.onProgress ?? (() => {});
  const pollMillis = options.pollMillis ?? 2000;
  const deadline = clock.now() + options.timeoutMillis;
  const namespaces = [...new Set(deployments.map((d) => d.namespace))];
  let lastReport = '';
  for (;;) {
    options.signal?.throwIfAborted();
    const found = new Map<string, V1Deployment>();
    let readError: string | undefined;
    for (const namespace of namespaces) {
      try {
        for (const d of (await client.apps.listNamespacedDeployment({ namespace })).items) found.set(`${namespace}/${d.metadata?.name}`, d);
      } catch (e) {
        const code = statusCodeOf(e);
        if (code === 401 || code === 403) throw kubeUserError(`cannot watch the rollouts in namespace "${namespace}"`, e);
        readError = describeKubeError(e); // transient (network, 5xx): look again next round
      }
    }
    const pending = new Map<string, string>();
    for (const d of deployments) {
      const id = `${d.namespace}/${d.name}`;
      const current = found.get(id);
      const why = current ? rolloutPending(current) : readError ? `unknown (${readError})` : 'not found';
      if (why) pending.set(id, why);
    }
    const ready = deployments.length - pending.size;
    const report = `kubernetes: rollout ${ready}/${deployments.length} deployments ready${pending.size ? ` (waiting for ${[...pending.keys()].map((id) => id.split('/')[1]).join(', ')})` : ''}`;
    if (report !== lastReport) note(report);
    lastReport = report;
    if (pending.size === 0) return;
    const left = deadline - clock.now();
    if (left <= 0 || [...pending.values()].includes('progress deadline exceeded')) {
      const details = await Promise.all([...pending].map(async ([id, why]) => `${id} (${why}${await podTrouble(client, found.get(id))})`));
      throw new UserError(
        `kubernetes: rollouts not finished after ${Math.round(options.timeoutMillis / 1000)} s: ${details.join('; ')} ` +
          `(see \`kubectl -n ${namespaces[0]} get pods\`; raise kubernetes.rolloutTimeoutMillis if the images are still downloading)`,
      );
    }
    await clock.sleep(Math.min(pollMillis, left));
  }
}

/** `; pod x: container y ImagePullBackOff (...)` for the pods of a stuck deployment, or ''. */
async function podTrouble(client: KubeClient, d: V1Deployment | undefined): Promise<string> {
  const namespace = d?.metadata?.namespace;
  const labels = d?.spec?.selector?.matchLabels;
  if (!namespace || !labels) return '';
  let pods: V1Pod[];
  try {
    const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    pods = (await client.core.listNamespacedPod({ namespace, labelSelector })).items;
  } catch {
    return '';
  }
  const parts: string[] = [];
  for (const pod of pods) {
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = cs.state?.waiting;
      if (waiting?.reason) parts.push(`pod ${pod.metadata?.name}: container ${cs.name} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
    }
    if (parts.length === 0 && pod.status?.phase === 'Pending') {
      const unscheduled = pod.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      parts.push(`pod ${pod.metadata?.name}: Pending${unscheduled?.message ? `: ${unscheduled.message}` : ''}`);
    }
  }
  return parts.length ? `; ${parts.slice(0, 3).join('; ')}` : '';
}
