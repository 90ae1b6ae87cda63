import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { LineCounter, parseAllDocuments } from 'yaml';
import { UserError } from '../errors.ts';

/** One object from a manifest file, with where it came from (for messages). */
export interface Manifest {
  /** File it was read from. */
  readonly file: string;
  /** 1-based line where its document starts. */
  readonly line: number;
  /** The object as written (apiVersion, kind and metadata.name guaranteed). */
  readonly object: KubeObject;
}

/** A Kubernetes object whose identity fields are known to be present. */
export type KubeObject = KubernetesObject & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

/**
 * Every object in the `*.yaml`/`*.yml` files directly in `dir` (sub-folders are optional
 * extras applied by hand), in file-name order. YAML errors and objects without
 * apiVersion/kind/metadata.name are UserErrors naming the file and line.
 */
export function loadManifests(dir: string): Manifest[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && statSync(join(dir, n)).isFile());
  } catch (e) {
    throw new UserError(`kubernetes: cannot read the manifests folder ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (names.length === 0) throw new UserError(`kubernetes: no *.yaml manifests in ${dir}`);
  return names.sort().flatMap((name) => parseManifestFile(join(dir, name)));
}

/** The objects of one manifest file (used for the optional extras, e.g. istio/locust/). */
export function parseManifestFile(file: string): Manifest[] {
  const text = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    // The line of the object's first field, not of the `---` before it.
    const line = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0]?.line ?? line;
      const why = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      throw new UserError(`${file}:${at}: invalid YAML: ${why}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // empty document, e.g. a trailing ---
    out.push({ file, line, object: checkObject(value, `${file}:${line}`) });
  }
  return out;
}

function checkObject(value: unknown, where: string): KubeObject {
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${where}: a manifest document must be a Kubernetes object (a mapping)`);
  const o = value as Record<string, unknown>;
  const meta = o['metadata'] as Record<string, unknown> | undefined;
  for (const [field, present] of [
    ['apiVersion', typeof o['apiVersion'] === 'string' && o['apiVersion'] !== ''],
    ['kind', typeof o['kind'] === 'string' && o['kind'] !== ''],
    ['metadata.name', typeof meta === 'object' && meta !== null && typeof meta['name'] === 'string' && meta['name'] !== ''],
  ] as const) {
    if (!present) throw new UserError(`${where}: object without ${field} (every manifest object needs apiVersion, kind and metadata.name)`);
  }
  return o as KubeObject;
}

/**
 * The same objects with the application's namespace renamed (for `--namespace`): the
 * Namespace object itself, every object placed in it, and the cluster DNS names
 * (`<service>.<namespace>.svc...`) in container environment values, e.g. the front-end relay's
 * upstream in namespace munnin. Other namespaces are left alone.
 */
export function retargetNamespace(manifests: readonly Manifest[], from: string, to: string): Manifest[] {
  if (from === to) return [...manifests];
  const dnsName = new RegExp(`(\\.)${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.svc\\b)`, 'g');
  return manifests.map((m) => {
    const object = structuredClone(m.object);
    if (object.kind === 'Namespace' && object.metadata.name === from) object.metadata.name = to;
    if (object.metadata.namespace === from) object.metadata.namespace = to;
    for (const container of podContainers(object)) {
      for (const e of container.env ?? []) if (typeof e.value === 'string') e.value = e.value.replace(dnsName, `$1${to}$2`);
    }
    return { ...m, object };
  });
}

function podContainers(o: KubeObject): { env?: { value?: unknown }[] }[] {
  const spec = (o['spec'] as { template?: { spec?: { containers?: unknown; initContainers?: unknown } } } | undefined)?.template?.spec;
  return [spec?.containers, spec?.initContainers].flatMap((c) => (Array.isArray(c) ? (c as { env?: { value?: unknown }[] }[]) : []));
}

/** `<namespace>/<kind>/<name>`, the way messages name an object. */
export function objectRef(o: KubeObject): string {
  return `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.kind}/${o.metadata.name}`;
}

/** Just what names `o` to the API server (read, delete): its spec and status are not sent along. */
export function objectKey(o: KubeObject): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) } };
}

// Objects others depend on go first (kubectl's order): a Deployment's pods need their
// namespace, service account and config maps to exist.
const KIND_ORDER = ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'Secret', 'Service'];

/** Apply order: by kind as above, anything else (Deployments, Jobs) last; stable within a kind. */
export function inApplyOrder<T extends { readonly object: KubeObject }>(items: readonly T[]): T[] {
  const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.object.kind) - rank(b.item.object.kind) || a.i - b.i)
    .map((x) => x.item);
}

/**
 * A ConfigMap holding every file of `dir` (the Locust folder), built when applied so the
 * Python lives in one place only. Fails clearly when the folder or its locustfile.py is missing.
 */
export function configMapFromFolder(dir: string, name: string, namespace: string, requiredFile = 'locustfile.py'): KubeObject {
  let files: string[];
  try {
    files = readdirSync(dir).filter((n) => !n.startsWith('.') && /^[-._a-zA-Z0-9]+$/.test(n) && statSync(join(dir, n)).isFile());
  } catch (e) {
    throw new UserError(`kubernetes: cannot read ${dir} for the ConfigMap ${namespace}/${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!files.includes(requiredFile)) throw new UserError(`kubernetes: ${join(dir, requiredFile)} not found (needed for the ConfigMap ${namespace}/${name})`);
  const data: Record<string, string> = {};
  let bytes = 0;
  for (const f of files.sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    bytes += Buffer.byteLength(text);
    data[f] = text;
  }
  // The API server refuses ConfigMaps over 1 MiB; say so before it does.
  if (bytes > 1_000_000) throw new UserError(`kubernetes: ${dir} holds ${bytes} bytes, more than a ConfigMap can carry (1 MiB)`);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'munnin' } }, data };
}
