import { PatchStrategy } from '@kubernetes/client-node';
import { UserError } from '../errors.ts';
import type { KubeClient } from './KubeClient.ts';
import { describeKubeError, forbiddenHint, statusCodeOf } from './kubeErrors.ts';
import { inApplyOrder, objectKey, objectRef, type KubeObject } from './manifests.ts';

export const FIELD_MANAGER = 'munnin';

export interface ApplyOptions {
  /** Server-side apply field manager (who owns the fields). */
  readonly fieldManager?: string;
  /**
   * Take over fields another manager set (kubectl's --force-conflicts). On by default: the
   * namespaces are munnin's, and a Sock Shop installed earlier from the upstream YAML would
   * otherwise conflict on every port name.
   */
  readonly force?: boolean;
  readonly onProgress?: (message: string) => void;
}

export interface ApplyResult {
  /** `<namespace>/<kind>/<name>` of every object applied, in the order applied. */
  readonly applied: readonly string[];
  /** Of those, the ones that did not exist before. */
  readonly created: readonly string[];
  /** Of those, the ones whose stored resourceVersion changed (created or updated). */
  readonly changed: readonly string[];
}

/**
 * Server-side apply every object (kubectl apply --server-side --field-manager munnin):
 * idempotent, so running it on an already prepared cluster changes nothing. Namespaces and
 * configuration go before the workloads that need them. The first refusal stops the apply
 * with a message naming the object and the API server's reason.
 */
export async function applyManifests(client: KubeClient, objects: readonly KubeObject[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const force = options.force ?? true;
  const note = options.onProgress ?? (() => {});
  const applied: string[] = [];
  const created: string[] = [];
  const changed: string[] = [];
  const ordered = inApplyOrder(objects.map((object) => ({ object })));
  for (const [i, { object }] of ordered.entries()) {
    const ref = objectRef(object);
    const before = await currentResourceVersion(client, object);
    let after: string | undefined;
    try {
      // client-node serialises through its typed models: a clone keeps the caller's object intact.
      const result = await client.objects.patch(structuredClone(object), undefined, undefined, fieldManager, force, PatchStrategy.ServerSideApply);
      after = result.metadata?.resourceVersion;
    } catch (e) {
      throw applyError(ref, e, fieldManager);
    }
    applied.push(ref);
    if (before === undefined) created.push(ref);
    if (before !== after) changed.push(ref);
    // Like kubectl, say what changed; unchanged objects pass silently.
    if (before !== after) note(`kubernetes: applied ${i + 1}/${ordered.length} ${ref} (${before === undefined ? 'created' : 'updated'})`);
  }
  return { applied, created, changed };
}

async function currentResourceVersion(client: KubeClient, object: KubeObject): Promise<string | undefined> {
  try {
    const existing = await client.objects.read(objectKey(object));
    return existing.metadata?.resourceVersion;
  } catch {
    // Absent (404) or unreadable: the apply that follows says which, with its own message.
    return undefined;
  }
}

function applyError(ref: string, e: unknown, fieldManager: string): Error {
  const code = statusCodeOf(e);
  const why = describeKubeError(e);
  if (code === 409) {
    return new UserError(`kubernetes: cannot apply ${ref}: ${why} (fields owned by another manager; munnin applies as "${fieldManager}": delete the object or apply with force)`);
  }
  if (code === 403) return new UserError(`kubernetes: cannot apply ${ref}: ${why}${forbiddenHint(e)}`);
  if (code === 404 && /namespaces ".*" not found/.test(why)) return new UserError(`kubernetes: cannot apply ${ref}: ${why} (its Namespace must be in the manifests)`);
  if (code !== undefined) return new UserError(`kubernetes: cannot apply ${ref}: ${why}`);
  if (e instanceof Error && /Unrecognized API version and kind/.test(e.message)) {
    return new UserError(`kubernetes: cannot apply ${ref}: the cluster does not serve this apiVersion/kind`);
  }
  return new UserError(`kubernetes: cannot apply ${ref}: ${why}`);
}
