// Preflight against the fake API server: each failure is one UserError with one clear line.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parametersSchema } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { connectKube, preflight } from '../../src/k8s/index.ts';
import { startFakeCluster, type FakeCluster } from './fakeCluster.ts';
import { writeKubeconfig } from './fakeKubeconfig.ts';

const userError = (message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  assert.ok(!e.message.includes('\n'), 'message spans lines');
  return true;
};

const seedPrometheus = (c: FakeCluster, namespace = 'munnin-monitoring') => {
  c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus', namespace }, spec: { ports: [{ name: 'http', port: 9090, targetPort: 9090 }] } });
};

describe('connectKube', () => {
  it('names a missing context and the ones available, before any network', () => {
    const { kubeconfig } = writeKubeconfig([
      { name: 'minikube', server: 'http://127.0.0.1:9', token: 't' },
      { name: 'kind-munnin', server: 'http://127.0.0.1:9', token: 't' },
    ]);
    assert.throws(() => connectKube({ kubeconfig, context: 'does-not-exist' }), userError('kubernetes: context "does-not-exist" not found in kubeconfig (available: minikube, kind-munnin)'));
  });

  it('uses the current context when none is given', () => {
    const { kubeconfig } = writeKubeconfig([{ name: 'a', server: 'http://127.0.0.1:9', token: 't' }, { name: 'b', server: 'http://127.0.0.2:9', token: 't' }], 'b');
    const client = connectKube({ kubeconfig });
    assert.equal(client.context, 'b');
    assert.equal(client.server, 'http://127.0.0.2:9');
  });
});

describe('preflight', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startFakeCluster();
  });
  afterEach(() => c.close());

  it('passes on a cluster with Istio and munnin\'s Prometheus, and says what it found', async () => {
    seedPrometheus(c);
    const notes: string[] = [];
    const result = await preflight(c.client(), { namespace: 'sock-shop', onProgress: (m) => notes.push(m) });
    assert.deepEqual(result, {
      serverVersion: 'v1.31.0',
      istioVersion: '1.24.0',
      namespaceExists: false,
      prometheus: { kind: 'service', namespace: 'munnin-monitoring', service: 'prometheus', port: 9090 },
      outboundTrafficPolicy: 'ALLOW_ANY',
    });
    assert.deepEqual(notes, [
      `kubernetes: context "fake" reachable (${c.api.url}, v1.31.0)`,
      'kubernetes: Istio control plane found (istiod 1.24.0)',
      'kubernetes: Prometheus: service munnin-monitoring/prometheus:9090',
    ]);
  });

  it('falls back to Istio\'s add-on Prometheus, and needs none when a URL is given', async () => {
    seedPrometheus(c, 'istio-system');
    assert.deepEqual((await preflight(c.client(), { namespace: 'sock-shop' })).prometheus, { kind: 'service', namespace: 'istio-system', service: 'prometheus', port: 9090 });
    const noProm = await startFakeCluster();
    try {
      const r = await preflight(noProm.client(), { namespace: 'sock-shop', prometheusUrl: 'https://prom.example.org' });
      assert.deepEqual(r.prometheus, { kind: 'url', url: 'https://prom.example.org' });
    } finally {
      await noProm.close();
    }
  });

  it('fails when no Prometheus is found, saying where it looked and the three ways out', async () => {
    await assert.rejects(
      preflight(c.client(), { namespace: 'sock-shop' }),
      userError(
        'kubernetes: no Prometheus found in context "fake" (looked for service munnin-monitoring/prometheus, service istio-system/prometheus): ' +
          "`kubectl apply -f istio/prometheus/prometheus.yaml`, or install Istio's add-on (samples/addons/prometheus.yaml), or give one with --prometheus-url",
      ),
    );
  });

  it('fails when Istio is not installed', async () => {
    const bare = await startFakeCluster({ istio: false });
    try {
      await assert.rejects(
        preflight(bare.client(), { namespace: 'sock-shop' }),
        userError('kubernetes: Istio\'s control plane not found in context "fake": no istiod deployment in namespace istio-system (install Istio first: `istioctl install --set profile=demo -y`)'),
      );
    } finally {
      await bare.close();
    }
  });

  it('fails when istiod has no available replica', async () => {
    c.api.get('deployments', 'istio-system', 'istiod')!['status'] = { observedGeneration: 1, replicas: 1, availableReplicas: 0 };
    await assert.rejects(preflight(c.client(), { namespace: 'sock-shop' }), userError('kubernetes: istiod (istio-system/istiod) has no available replica: check `kubectl -n istio-system get pods`'));
  });

  it('turns a 403 into the permission that is missing', async () => {
    c.api.forbid({ path: /\/namespaces\/istio-system\/deployments\/istiod$/ });
    await assert.rejects(
      preflight(c.client(), { namespace: 'sock-shop' }),
      userError(
        'kubernetes: cannot look for Istio\'s control plane (deployment istio-system/istiod): 403 Forbidden: deployments.apps "istiod" is forbidden: ' +
          'User "tester" cannot get resource "deployments" in API group "apps" in the namespace "istio-system" (the kubeconfig user lacks this permission)',
      ),
    );
  });

  it('fails on a namespace with injection disabled', async () => {
    seedPrometheus(c);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sock-shop', labels: { 'istio-injection': 'disabled' } } });
    await assert.rejects(
      preflight(c.client(), { namespace: 'sock-shop' }),
      userError('kubernetes: namespace "sock-shop" has sidecar injection disabled (istio-injection=disabled): `kubectl label namespace sock-shop istio-injection=enabled --overwrite`'),
    );
  });

  it('fails on an unlabelled namespace that already has pods, and accepts an empty one or a revision label', async () => {
    seedPrometheus(c);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } });
    assert.equal((await preflight(c.client(), { namespace: 'empty' })).namespaceExists, true);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rev', labels: { 'istio.io/rev': 'canary' } } });
    assert.equal((await preflight(c.client(), { namespace: 'rev' })).namespaceExists, true);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    c.api.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user-1', namespace: 'shop' }, spec: { containers: [{ name: 'user' }] } });
    await assert.rejects(
      preflight(c.client(), { namespace: 'shop' }),
      userError(
        'kubernetes: namespace "shop" is not labelled for sidecar injection and already has pods, which would stay without sidecars: ' +
          '`kubectl label namespace shop istio-injection=enabled && kubectl -n shop rollout restart deployment`',
      ),
    );
  });

  it('warns when Istio sends unknown destinations to BlackHoleCluster (REGISTRY_ONLY), and says how to allow the upload', async () => {
    seedPrometheus(c);
    const mesh = c.api.get('configmaps', 'istio-system', 'istio')!;
    c.api.seed({ ...mesh, data: { mesh: `${mesh['data'].mesh}\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY` } });
    const notes: string[] = [];
    const result = await preflight(c.client(), { namespace: 'sock-shop', onProgress: (m) => notes.push(m) });
    assert.equal(result.outboundTrafficPolicy, 'REGISTRY_ONLY');
    const warning = notes.find((n) => n.includes('REGISTRY_ONLY'));
    assert.ok(warning?.startsWith("kubernetes: warning: Istio's outboundTrafficPolicy is REGISTRY_ONLY: the egress upload to the sink is cut off"), notes.join('\n'));
    assert.match(warning!, /user → BlackHoleCluster \(read as external\)/);
    assert.match(warning!, /meshConfig\.outboundTrafficPolicy\.mode=ALLOW_ANY/);
    // What the warning promises: the refused upload's destination is read as external.
    assert.equal(parametersSchema.parse({}).telemetry.aliases['BlackHoleCluster'], 'external');
  });

  it('warns on arm64-only nodes, where the amd64-only weaveworksdemos images need emulation; quiet when nodes cannot be listed', async () => {
    seedPrometheus(c);
    c.api.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'minikube' }, status: { nodeInfo: { architecture: 'arm64', operatingSystem: 'linux' } } });
    const notes: string[] = [];
    await preflight(c.client(), { namespace: 'sock-shop', onProgress: (m) => notes.push(m) });
    assert.ok(notes.includes('kubernetes: warning: the cluster\'s nodes are arm64, and the weaveworksdemos/* images are built for amd64 only: they run there only under emulation (Docker Desktop with "Use Rosetta" on Apple silicon); otherwise their pods fail with "exec format error"'), notes.join('\n'));
    c.api.forbid({ path: /^\/api\/v1\/nodes$/ });
    const quiet: string[] = [];
    await preflight(c.client(), { namespace: 'sock-shop', onProgress: (m) => quiet.push(m) });
    assert.ok(!quiet.some((n) => n.includes('arm64')), quiet.join('\n'));
  });

  it('says when the mesh config cannot be found, and assumes ALLOW_ANY', async () => {
    seedPrometheus(c);
    c.api.failNext({ path: /\/namespaces\/istio-system\/configmaps\/istio$/ }, 404, 'NotFound', 'configmaps "istio" not found');
    const notes: string[] = [];
    const result = await preflight(c.client(), { namespace: 'sock-shop', onProgress: (m) => notes.push(m) });
    assert.equal(result.outboundTrafficPolicy, undefined);
    assert.ok(notes.includes("kubernetes: warning: Istio's mesh config (ConfigMap istio-system/istio, key mesh) not found or unreadable; assuming outboundTrafficPolicy ALLOW_ANY"), notes.join('\n'));
  });

  it('refuses a cluster without telemetry.istio.io/v1 (Istio older than 1.22) when the manifests set the TCP reporting interval', async () => {
    seedPrometheus(c);
    c.api.failNext({ path: /^\/apis\/telemetry\.istio\.io\/v1/ }, 404, 'NotFound', 'the server could not find the requested resource', 5);
    const statsFlush = { configMap: 'munnin-envoy-bootstrap', statsFlushSeconds: 1, reportingIntervalSeconds: 1, slowestSeconds: 1 };
    await assert.rejects(
      preflight(c.client(), { namespace: 'sock-shop', statsFlush, intervalSeconds: 2 }),
      userError('kubernetes: the cluster does not serve telemetry.istio.io/v1 Telemetry, which munnin uses to report TCP bytes every second: Istio 1.22 or later is needed (`istioctl version`)'),
    );
  });

  it('fails on a namespace still being deleted', async () => {
    seedPrometheus(c);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sock-shop', labels: { 'istio-injection': 'enabled' } }, status: { phase: 'Terminating' } });
    await assert.rejects(preflight(c.client(), { namespace: 'sock-shop' }), userError(/^kubernetes: namespace "sock-shop" is being deleted/));
  });

  it('fails on rejected credentials with 401', async () => {
    const { kubeconfig } = writeKubeconfig([{ name: 'stale', server: c.api.url, token: 'expired' }]);
    await assert.rejects(
      preflight(connectKube({ kubeconfig }), { namespace: 'sock-shop' }),
      userError(`kubernetes: the API server of context "stale" (${c.api.url}) rejected the kubeconfig's credentials (401 Unauthorized): log in again`),
    );
  });

  it('fails when the API server is down, naming the context and the address', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const { kubeconfig } = writeKubeconfig([{ name: 'down', server: `http://127.0.0.1:${port}`, token: 't' }]);
    await assert.rejects(
      preflight(connectKube({ kubeconfig }), { namespace: 'sock-shop' }),
      userError(new RegExp(`^kubernetes: cannot reach the API server of context "down" at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED: .* \\(is the cluster running\\? e\\.g\\. \`minikube status\`\\)$`)),
    );
  });

  it('fails on an API server that does not answer, after the request time-out', async () => {
    // Accepts connections, never answers.
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const { kubeconfig } = writeKubeconfig([{ name: 'hung', server: `http://127.0.0.1:${(silent.address() as { port: number }).port}`, token: 't' }]);
    try {
      await assert.rejects(preflight(connectKube({ kubeconfig, requestTimeoutMillis: 200 }), { namespace: 'sock-shop' }), userError(/^kubernetes: cannot reach the API server of context "hung" at .*: no answer in time \(request timed out\)/));
    } finally {
      silent.close();
    }
  });
});
