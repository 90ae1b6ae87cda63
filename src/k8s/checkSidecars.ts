import type { V1Pod } from '@kubernetes/client-node';
import { UserError } from '../errors.ts';
import type { KubeClient } from './KubeClient.ts';
import { kubeUserError } from './kubeErrors.ts';

const SIDECAR = 'istio-proxy';

/** Whether Istio injected its proxy (a container, or a native sidecar init container since Istio 1.19). */
export function hasSidecar(pod: V1Pod): boolean {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.name === SIDECAR);
}

/**
 * After the rollout: every running pod of the application must carry the sidecar, or its
 * traffic is invisible to the telemetry the experiment records. A pod without one was
 * created before injection was enabled; the message says how to recreate it.
 */
export async function checkSidecars(client: KubeClient, namespace: string): Promise<void> {
  let pods: V1Pod[];
  try {
    pods = (await client.core.listNamespacedPod({ namespace })).items;
  } catch (e) {
    throw kubeUserError(`cannot list the pods of namespace "${namespace}"`, e);
  }
  const bare = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && !hasSidecar(p)).map((p) => p.metadata?.name ?? '?');
  if (bare.length > 0) {
    throw new UserError(
      `kubernetes: pods without the Istio sidecar in namespace "${namespace}": ${bare.join(', ')} (created before injection was enabled?): ` +
        `\`kubectl -n ${namespace} rollout restart deployment\` and run again`,
    );
  }
}
