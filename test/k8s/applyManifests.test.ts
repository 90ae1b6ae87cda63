// Server-side apply of istio/ against the fake API server: idempotent, field manager munnin,
// namespaces first; 409, 403 and 404 refusals become one clear message naming the object.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { applyManifests, DEFAULT_MANIFESTS_DIR, loadManifests, retargetNamespace, teardown, type KubeObject } from '../../src/k8s/index.ts';
import { startFakeCluster, type FakeCluster } from './fakeCluster.ts';

const objects = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object);
const resourceOf: Record<string, string> = { Namespace: 'namespaces', ConfigMap: 'configmaps', Service: 'services', Deployment: 'deployments', Telemetry: 'telemetries' };

describe('applyManifests', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startFakeCluster();
  });
  afterEach(() => c.close());

  it('creates every object with server-side apply as field manager munnin', async () => {
    const notes: string[] = [];
    const result = await applyManifests(c.client(), objects, { onProgress: (m) => notes.push(m) });
    assert.equal(result.created.length, objects.length);
    assert.equal(notes.length, objects.length);
    assert.equal(notes[0], `kubernetes: applied 1/${objects.length} Namespace/sock-shop (created)`);
    for (const o of objects) {
      const stored = c.api.get(resourceOf[o.kind]!, o.metadata.namespace, o.metadata.name);
      assert.ok(stored, `${o.kind}/${o.metadata.name} not stored`);
      assert.equal(stored['metadata'].managedFields[0].manager, 'munnin');
    }
    const patches = c.api.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, objects.length);
    for (const p of patches) {
      assert.equal(p.contentType, 'application/apply-patch+yaml');
      assert.equal(p.query.get('fieldManager'), 'munnin');
      assert.equal(p.query.get('force'), 'true');
    }
    // Namespaces before anything in them.
    const firstNamespaced = patches.findIndex((p) => p.path.includes('/namespaces/') && !/\/api\/v1\/namespaces\/[^/]+$/.test(p.path));
    const lastNamespace = patches.map((p) => /\/api\/v1\/namespaces\/[^/]+$/.test(p.path)).lastIndexOf(true);
    assert.ok(lastNamespace < firstNamespaced);
    // What was sent is the manifest (client-node's typed serialisation lost nothing).
    const userPatch = JSON.parse(patches.find((p) => p.path === '/apis/apps/v1/namespaces/sock-shop/deployments/user')!.body);
    assert.deepEqual(userPatch, objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'user'));
  });

  it('is idempotent: applying again changes nothing', async () => {
    await applyManifests(c.client(), objects);
    const versions = objects.map((o) => c.api.get(resourceOf[o.kind]!, o.metadata.namespace, o.metadata.name)!['metadata'].resourceVersion);
    const again = await applyManifests(c.client(), objects);
    assert.deepEqual(again.created, []);
    assert.deepEqual(again.changed, []);
    assert.equal(again.applied.length, objects.length);
    assert.deepEqual(objects.map((o) => c.api.get(resourceOf[o.kind]!, o.metadata.namespace, o.metadata.name)!['metadata'].resourceVersion), versions);
  });

  it('updates what changed and bumps the deployment generation', async () => {
    await applyManifests(c.client(), objects);
    const changed = structuredClone(objects) as KubeObject[];
    const user = changed.find((o) => o.kind === 'Deployment' && o.metadata.name === 'user') as KubeObject & { spec: { replicas: number } };
    user.spec.replicas = 2;
    const result = await applyManifests(c.client(), changed);
    assert.deepEqual(result.changed, ['sock-shop/Deployment/user']);
    assert.equal(c.api.get('deployments', 'sock-shop', 'user')!['metadata'].generation, 2);
  });

  it('reports a 409 conflict with another field manager when not forcing', async () => {
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'carts')!;
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sock-shop' } });
    c.api.seed({ ...structuredClone(svc), spec: { ports: [{ port: 80, targetPort: 80 }], selector: { name: 'carts' } } }, 'kubectl-client-side-apply');
    await assert.rejects(applyManifests(c.client(), [svc], { force: false }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(
        e.message,
        'kubernetes: cannot apply sock-shop/Service/carts: 409 Conflict: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec ' +
          '(fields owned by another manager; munnin applies as "munnin": delete the object or apply with force)',
      );
      return true;
    });
    // With force (the default) munnin takes the fields over.
    await applyManifests(c.client(), [svc]);
    assert.equal(c.api.get('services', 'sock-shop', 'carts')!['spec'].ports[0].name, 'http');
  });

  it('reports a 403 naming the object and the missing permission, and stops there', async () => {
    c.api.forbid({ method: 'PATCH', path: /\/deployments\// });
    await assert.rejects(
      applyManifests(c.client(), objects),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          'kubernetes: cannot apply sock-shop/Deployment/front-end: 403 Forbidden: deployments.apps "front-end" is forbidden: User "tester" cannot patch resource "deployments" in API group "apps" in the namespace "sock-shop" (the kubeconfig user lacks this permission)',
    );
    assert.equal(c.api.get('deployments', 'sock-shop', 'catalogue'), undefined);
  });

  it('reports a missing namespace (404) when its Namespace is not among the objects', async () => {
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'carts')!;
    await assert.rejects(applyManifests(c.client(), [svc]), (e: unknown) => e instanceof UserError && e.message === 'kubernetes: cannot apply sock-shop/Service/carts: 404 NotFound: namespaces "sock-shop" not found (its Namespace must be in the manifests)');
  });

  it('applies into another namespace for --namespace', async () => {
    await applyManifests(c.client(), retargetNamespace(loadManifests(DEFAULT_MANIFESTS_DIR), 'sock-shop', 'shop-2').map((m) => m.object));
    assert.ok(c.api.get('deployments', 'shop-2', 'user'));
    assert.equal(c.api.get('deployments', 'sock-shop', 'user'), undefined);
    assert.equal(c.api.get('namespaces', undefined, 'shop-2')!['metadata'].labels['istio-injection'], 'enabled');
  });
});

describe('teardown', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startFakeCluster();
  });
  afterEach(() => c.close());

  it('deletes the namespaces (and with them their contents), and runs twice without complaint', async () => {
    await applyManifests(c.client(), objects);
    const notes: string[] = [];
    const first = await teardown(c.client(), objects, (m) => notes.push(m));
    assert.deepEqual(first.deleted, ['Namespace/sock-shop', 'Namespace/munnin']);
    assert.equal(c.api.get('namespaces', undefined, 'sock-shop'), undefined);
    assert.equal(c.api.list('deployments', 'sock-shop').length, 0);
    assert.equal(c.api.get('namespaces', undefined, 'istio-system')?.['metadata'].name, 'istio-system');
    const deletes = c.api.requests.filter((r) => r.method === 'DELETE');
    assert.ok(deletes.every((r) => r.query.get('propagationPolicy') === 'Background'));
    assert.equal(notes[0], 'kubernetes: teardown: deleted 2 object(s) (namespaces sock-shop, munnin finish deleting in the background)');
    const second = await teardown(c.client(), objects);
    assert.deepEqual(second, { deleted: [], absent: ['Namespace/sock-shop', 'Namespace/munnin'] });
  });

  it('deletes cluster-scoped objects too, and collects refusals into one error after trying all', async () => {
    const extra: KubeObject[] = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'munnin-test' }, rules: [] },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'munnin-x' } },
    ];
    await applyManifests(c.client(), extra);
    c.api.forbid({ method: 'DELETE', path: /clusterroles/ });
    await assert.rejects(
      teardown(c.client(), extra),
      (e: unknown) =>
        e instanceof Error &&
        e.message ===
          'kubernetes: teardown could not delete ClusterRole/munnin-test: 403 Forbidden: clusterroles.rbac.authorization.k8s.io "munnin-test" is forbidden: User "tester" cannot delete resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    );
    assert.equal(c.api.get('namespaces', undefined, 'munnin-x'), undefined);
  });
});
