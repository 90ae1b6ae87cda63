// The fake API server's object store: objects by resource/namespace/name, stamped the way the
// real API server stamps them (uid, creationTimestamp, resourceVersion, generation, managedFields).
import { randomUUID } from 'node:crypto';

// eslint-style `any`: the store holds arbitrary Kubernetes JSON.
export type Obj = Record<string, any>;

export interface ResourceInfo {
  readonly groupVersion: string;
  /** Plural resource name as in URLs. */
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** What the fake serves (discovery answers with these). */
export const RESOURCES: readonly ResourceInfo[] = [
  { groupVersion: 'v1', name: 'namespaces', kind: 'Namespace', namespaced: false },
  { groupVersion: 'v1', name: 'nodes', kind: 'Node', namespaced: false },
  { groupVersion: 'v1', name: 'services', kind: 'Service', namespaced: true },
  { groupVersion: 'v1', name: 'pods', kind: 'Pod', namespaced: true },
  { groupVersion: 'v1', name: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { groupVersion: 'v1', name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { groupVersion: 'v1', name: 'secrets', kind: 'Secret', namespaced: true },
  { groupVersion: 'apps/v1', name: 'deployments', kind: 'Deployment', namespaced: true },
  { groupVersion: 'batch/v1', name: 'jobs', kind: 'Job', namespaced: true },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'roles', kind: 'Role', namespaced: true },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  // Istio's CRD (istioctl install registers it).
  { groupVersion: 'telemetry.istio.io/v1', name: 'telemetries', kind: 'Telemetry', namespaced: true },
];

export function infoForKind(apiVersion: string, kind: string): ResourceInfo {
  const info = RESOURCES.find((r) => r.groupVersion === apiVersion && r.kind === kind);
  if (!info) throw new Error(`fake API server does not serve ${apiVersion} ${kind}`);
  return info;
}

/** API group of a resource ('' for the core group), as Status messages name it. */
export function groupOf(info: ResourceInfo): string {
  return info.groupVersion.includes('/') ? info.groupVersion.split('/')[0]! : '';
}

export class FakeStore {
  private readonly objects = new Map<string, Obj>();
  private rv = 1;

  get resourceVersion(): string {
    return String(this.rv);
  }

  get(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.objects.get(key(resource, namespace, name));
  }

  list(resource: string, namespace?: string): Obj[] {
    return [...this.objects.values()].filter((o) => infoForKind(o['apiVersion'], o['kind']).name === resource && (namespace === undefined || o['metadata'].namespace === namespace));
  }

  /** Store (or replace) an object already stamped. */
  put(o: Obj): Obj {
    this.objects.set(key(infoForKind(o['apiVersion'], o['kind']).name, o['metadata'].namespace, o['metadata'].name), o);
    return o;
  }

  delete(resource: string, namespace: string | undefined, name: string): void {
    this.objects.delete(key(resource, namespace, name));
  }

  /** Everything in a namespace goes (namespace deletion). */
  deleteNamespaced(namespace: string): void {
    for (const [k, v] of this.objects) if (v['metadata'].namespace === namespace) this.objects.delete(k);
  }

  /** The server-set metadata; `generation` moves only when the spec changed. */
  stamp(o: Obj, previous: Obj | undefined, manager: string): Obj {
    const meta = (o['metadata'] ??= {});
    meta.uid = previous?.['metadata'].uid ?? randomUUID();
    meta.creationTimestamp = previous?.['metadata'].creationTimestamp ?? new Date().toISOString();
    meta.resourceVersion = String(++this.rv);
    if (o['spec'] !== undefined) {
      const changed = !previous || JSON.stringify(previous['spec']) !== JSON.stringify(o['spec']);
      meta.generation = (previous?.['metadata'].generation ?? 0) + (changed ? 1 : 0);
    }
    meta.managedFields = [{ manager, operation: 'Apply', apiVersion: o['apiVersion'], time: new Date().toISOString(), fieldsType: 'FieldsV1' }];
    return o;
  }
}

function key(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}|${namespace ?? ''}|${name}`;
}
