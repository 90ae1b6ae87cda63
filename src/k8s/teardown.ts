import type { KubeClient } from './KubeClient.ts';
import { describeKubeError, isNotFound } from './kubeErrors.ts';
import { objectKey, objectRef, type KubeObject } from './manifests.ts';

export interface TeardownResult {
  /** Objects the API server accepted to delete. */
  readonly deleted: readonly string[];
  /** Objects that were already gone. */
  readonly absent: readonly string[];
}

/**
 * Delete what applyManifests put there. Deleting a Namespace deletes everything in it, so
 * only the namespaces and the objects outside them are deleted, the namespaces last and in the
 * background (the API server finishes the job; `kubectl get ns` shows Terminating meanwhile).
 * Objects already gone are fine (teardown can run twice). Other refusals are collected and
 * reported together after every deletion was tried.
 */
export async function teardown(client: KubeClient, objects: readonly KubeObject[], onProgress: (message: string) => void = () => {}): Promise<TeardownResult> {
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const outside = objects.filter((o) => o.kind !== 'Namespace' && !(o.metadata.namespace && namespaces.has(o.metadata.namespace)));
  const order = [...outside.reverse(), ...objects.filter((o) => o.kind === 'Namespace')];
  const deleted: string[] = [];
  const absent: string[] = [];
  const failures: string[] = [];
  for (const o of order) {
    const ref = objectRef(o);
    try {
      await client.objects.delete(objectKey(o), undefined, undefined, undefined, undefined, 'Background');
      deleted.push(ref);
    } catch (e) {
      if (isNotFound(e)) absent.push(ref);
      else failures.push(`${ref}: ${describeKubeError(e)}`);
    }
  }
  onProgress(`kubernetes: teardown: deleted ${deleted.length} object(s)${absent.length ? `, ${absent.length} already gone` : ''}${namespaces.size ? ` (namespaces ${[...namespaces].join(', ')} finish deleting in the background)` : ''}`);
  if (failures.length > 0) throw new Error(`kubernetes: teardown could not delete ${failures.join('; ')}`);
  return { deleted, absent };
}
