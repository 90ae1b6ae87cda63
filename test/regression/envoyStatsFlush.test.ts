// Bug: real Envoys report bytes in 5-second lumps. Histogram totals (istio_request_bytes_sum,
// istio_response_bytes_sum) change only at Envoy's stats flush (envoy#14007), 5 s in Istio,
// and the byte counters of open TCP connections are reported every 5 s; with 2-second
// intervals those edges read 0, 0, then a lump. The manifests must set both to 1 s, and munnin
// must check that before applying (refusing shorter intervals) and after the rollout.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { applyManifests, DEFAULT_MANIFESTS_DIR, loadManifests, preflight, statsFlushSettings, verifyStatsFlush, waitForRollouts } from '../../src/k8s/index.ts';
import { startFakeCluster, virtualClock, type FakeCluster } from '../k8s/fakeCluster.ts';

type Obj = Record<string, any>;
const objects = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object);
const APP_DEPLOYMENTS = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === 'sock-shop').map((o) => o.metadata.name);

describe('the 1-second stats flush on the cluster', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startFakeCluster();
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'munnin-monitoring' } });
    c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus', namespace: 'munnin-monitoring' }, spec: { ports: [{ name: 'http', port: 9090 }] } });
  });
  afterEach(() => c.close());

  const applyAndRollOut = async () => {
    await applyManifests(c.client(), objects);
    await waitForRollouts(c.client(), APP_DEPLOYMENTS.map((name) => ({ namespace: 'sock-shop', name })), { timeoutMillis: 60_000, clock: virtualClock() });
  };

  it('is applied: Envoy bootstrap stats_flush_interval 1s named by every pod, Telemetry reportingInterval 1s', async () => {
    await applyAndRollOut();
    const cm = c.api.list('configmaps', 'sock-shop').find((o: Obj) => o['data']?.['custom_bootstrap.json']);
    assert.ok(cm, 'no bootstrap-override ConfigMap applied in sock-shop');
    assert.equal(JSON.parse(cm['data']['custom_bootstrap.json']).stats_flush_interval, '1s');
    const pods = c.api.list('pods', 'sock-shop');
    assert.equal(pods.length, APP_DEPLOYMENTS.length);
    for (const pod of pods) assert.equal(pod['metadata'].annotations?.['sidecar.istio.io/bootstrapOverride'], cm['metadata'].name, pod['metadata'].name);
    const telemetry = c.api.list('telemetries', 'sock-shop');
    assert.deepEqual(telemetry.map((t: Obj) => t['spec'].metrics.map((m: Obj) => m['reportingInterval'])), [['1s']]);
  });

  it('is checked before applying: an interval shorter than the flush is refused', async () => {
    const settings = statsFlushSettings(objects, 'sock-shop');
    assert.deepEqual(settings, { configMap: 'munnin-envoy-bootstrap', statsFlushSeconds: 1, reportingIntervalSeconds: 1, slowestSeconds: 1 });
    await assert.rejects(
      preflight(c.client(), { namespace: 'sock-shop', statsFlush: settings, intervalSeconds: 0.5 }),
      (e: unknown) => e instanceof UserError && e.message.startsWith('intervalSeconds: 0.5 s is shorter than the sidecars\' stats flush (stats_flush_interval 1 s, Telemetry reportingInterval 1 s'),
    );
    assert.equal(c.api.requests.length, 0, 'refused before any request');
    // Manifests without the override are refused, naming each object.
    const stripped = objects.filter((o) => o.kind !== 'Telemetry').map((o) => (o.metadata.name === 'carts' && o.kind === 'Deployment' ? { ...o, spec: { ...(o['spec'] as Obj), template: { metadata: { labels: {} }, spec: {} } } } : o));
    assert.throws(
      () => statsFlushSettings(stripped, 'sock-shop'),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          'kubernetes: the stats flush is not configured as munnin needs (istio/05-telemetry.yaml): Deployment sock-shop/carts: no sidecar.istio.io/bootstrapOverride annotation in its pod template (its sidecar would flush every 5 s); no Telemetry in sock-shop sets metrics[].reportingInterval (TCP byte counters would be reported every 5 s)',
    );
  });

  it('is checked after the rollout: a pod started without the override, or a ConfigMap changed on the cluster, fails naming it', async () => {
    await applyAndRollOut();
    const settings = statsFlushSettings(objects, 'sock-shop');
    await verifyStatsFlush(c.client(), 'sock-shop', settings);
    c.api.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'carts-old-5d9c', namespace: 'sock-shop', labels: { name: 'carts' } }, spec: { containers: [{ name: 'carts' }] } });
    const cm = c.api.get('configmaps', 'sock-shop', 'munnin-envoy-bootstrap')!;
    c.api.seed({ ...cm, data: { 'custom_bootstrap.json': '{"stats_flush_interval": "5s"}' } });
    await assert.rejects(
      verifyStatsFlush(c.client(), 'sock-shop', settings),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          'kubernetes: the stats flush set in istio/05-telemetry.yaml is not in effect: ConfigMap sock-shop/munnin-envoy-bootstrap on the cluster sets stats_flush_interval 5 s, not 1 s; ' +
            'pods without sidecar.istio.io/bootstrapOverride: munnin-envoy-bootstrap (their sidecars flush every 5 s): carts-old-5d9c; `kubectl -n sock-shop rollout restart deployment`',
    );
  });
});
