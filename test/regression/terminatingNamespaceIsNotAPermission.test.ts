// Bug: writing into a namespace being deleted (an earlier teardown still running) is refused
// with 403 Forbidden, and munnin reported it as a permission the kubeconfig user lacks, sending
// people to fix RBAC. The message must say the namespace is being deleted and what to do.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { applyManifests, DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { startFakeCluster } from '../k8s/fakeCluster.ts';

it('reports a 403 from a terminating namespace as the namespace being deleted, not as a missing permission', async () => {
  const c = await startFakeCluster();
  try {
    // `munnin` left Terminating by an earlier teardown (its finalizers not done yet).
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'munnin', labels: { 'istio-injection': 'disabled' } }, status: { phase: 'Terminating' } });
    const objects = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object).filter((o) => o.kind !== 'Namespace' || o.metadata.name !== 'munnin');
    await assert.rejects(applyManifests(c.client(), objects), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /^kubernetes: cannot apply munnin\/ConfigMap\/[a-z-]+: 403 Forbidden: configmaps "[a-z-]+" is forbidden: unable to create new content in namespace munnin because it is being terminated \(namespace "munnin" is being deleted, e\.g\. by an earlier teardown: wait until `kubectl get namespace munnin` finds nothing, then run again\)$/);
      assert.ok(!e.message.includes('lacks this permission'));
      return true;
    });
  } finally {
    await c.close();
  }
});
