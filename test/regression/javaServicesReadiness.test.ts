// Bug: carts, orders, shipping and queue-master had no readiness probe, so a rollout counted as
// done as soon as the JVM started. Spring Boot at 300m CPU takes minutes; meanwhile Envoy
// answers 503 and those edges first appear after training (false new-edge alarms). Every HTTP
// workload must be ready only when its health endpoint answers, with upstream's delays for
// the Java ones (microservices-demo helm chart: readiness /health after 180 s, every 3 s).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyManifests, DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { startFakeCluster } from '../k8s/fakeCluster.ts';

type Probe = { httpGet?: { path?: string; port?: number | string }; initialDelaySeconds?: number; periodSeconds?: number };
type Container = { name: string; ports?: { name?: string; containerPort: number }[]; readinessProbe?: Probe; livenessProbe?: Probe };

it('applies readiness probes on /health with upstream delays to the Java services', async () => {
  const c = await startFakeCluster();
  try {
    await applyManifests(c.client(), loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object));
    const expected: Record<string, { path: string; readyAfter: number }> = {
      carts: { path: '/health', readyAfter: 180 },
      orders: { path: '/health', readyAfter: 180 },
      shipping: { path: '/health', readyAfter: 180 },
      'queue-master': { path: '/health', readyAfter: 180 },
      catalogue: { path: '/health', readyAfter: 10 },
      payment: { path: '/health', readyAfter: 10 },
      user: { path: '/health', readyAfter: 10 },
      'front-end': { path: '/', readyAfter: 10 },
    };
    for (const [name, want] of Object.entries(expected)) {
      const deployment = c.api.get('deployments', 'sock-shop', name);
      assert.ok(deployment, `deployment ${name} applied`);
      const container = (deployment['spec'].template.spec.containers as Container[]).find((x) => x.name === name)!;
      const port = container.ports?.[0]?.containerPort;
      const ready = container.readinessProbe;
      assert.ok(ready, `${name}: no readiness probe`);
      assert.deepEqual(
        { path: ready.httpGet?.path, port: ready.httpGet?.port, after: ready.initialDelaySeconds, every: ready.periodSeconds },
        { path: want.path, port, after: want.readyAfter, every: 3 },
        name,
      );
      // Liveness later than readiness: a slow start must not be killed before it could be ready.
      assert.equal(container.livenessProbe?.httpGet?.path, want.path, name);
      assert.ok((container.livenessProbe?.initialDelaySeconds ?? 0) > want.readyAfter, `${name}: liveness before readiness`);
    }
  } finally {
    await c.close();
  }
});
