// startKubernetesTarget end to end against the fake API server. Behind the fake's services
// proxy stand the front-end relay (istio/30-front-end-relay.yaml, really run) and the embedded
// Sock Shop mesh (a real application speaking Sock Shop's API), so customer registration
// through the front-end forward really happens; Prometheus is a tiny HTTP server answering
// its API.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { KubernetesParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { customerUsername, DEFAULT_MANIFESTS_DIR, parseManifestFile, startKubernetesTarget } from '../../src/k8s/index.ts';
import { listen, startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { startFakeCluster, virtualClock, type FakeCluster } from './fakeCluster.ts';
import { startRelay, type RunningRelay } from './frontEndRelay.ts';

// The configuration munnin's own Prometheus runs with (istio/prometheus/prometheus.yaml): 1-s scrapes.
const MUNNIN_PROMETHEUS_CONFIG = parseManifestFile(`${DEFAULT_MANIFESTS_DIR}/prometheus/prometheus.yaml`).find((m) => m.object.kind === 'ConfigMap')!.object['data'] as Record<string, string>;
// Istio's add-on (samples/addons/prometheus.yaml), as far as scraping goes: 15 s, pods by annotation.
const ADDON_PROMETHEUS_CONFIG = [
  'global:',
  '  scrape_interval: 15s',
  '  scrape_timeout: 10s',
  'scrape_configs:',
  '- job_name: prometheus',
  '  static_configs: [{targets: [localhost:9090]}]',
  '- job_name: kubernetes-pods',
  '  kubernetes_sd_configs: [{role: pod}]',
  '- job_name: kubernetes-pods-slow',
  '  scrape_interval: 5m',
  '  kubernetes_sd_configs: [{role: pod}]',
].join('\n');

const params = (over: Partial<KubernetesParameters> = {}): KubernetesParameters => ({ context: 'fake', namespace: 'sock-shop', teardown: false, rolloutTimeoutMillis: 600_000, inClusterLocust: false, ...over });

describe('startKubernetesTarget', () => {
  let mesh: EmbeddedMesh;
  let relay: RunningRelay;
  let prometheus: Server;
  let prometheusPort = 0;
  let prometheusConfig = '';
  let c: FakeCluster;

  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 3, catalogueItems: 5 });
    relay = await startRelay(mesh.frontEndUrl);
    prometheus = createServer((req, res) => {
      const data = req.url === '/api/v1/status/config' ? { yaml: prometheusConfig } : { resultType: 'vector', result: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data, path: req.url }));
    });
    prometheusPort = await listen(prometheus);
  });
  after(async () => {
    relay.stop();
    prometheus.close();
    await mesh.stop();
  });
  beforeEach(async () => {
    prometheusConfig = MUNNIN_PROMETHEUS_CONFIG['prometheus.yml']!;
    c = await startFakeCluster();
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'munnin-monitoring' } });
    c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus', namespace: 'munnin-monitoring' }, spec: { ports: [{ name: 'http', port: 9090 }] } });
    c.api.backends.set('munnin/front-end-relay', relay.url);
    c.api.backends.set('munnin-monitoring/prometheus', `http://127.0.0.1:${prometheusPort}`);
  });
  afterEach(() => c.close());

  it('brings the Sock Shop up, registers the customers, and hands back a working Target', async () => {
    const notes: string[] = [];
    const clock = virtualClock();
    const target = await startKubernetesTarget({ kubernetes: params(), customers: 4, kubeconfig: c.kubeconfig(), onProgress: (m) => notes.push(m), clock });
    try {
      assert.equal(target.kind, 'kubernetes');
      assert.equal(target.context, 'fake');
      assert.deepEqual(target.services, ['front-end', 'catalogue', 'catalogue-db', 'carts', 'carts-db', 'orders', 'orders-db', 'payment', 'shipping', 'queue-master', 'rabbitmq', 'user', 'user-db', 'session-db']);
      assert.deepEqual(target.topology, mesh.topology);
      assert.deepEqual(target.scrapeTargets, []);
      assert.deepEqual(target.compromisable, ['user']);
      // The rollout wait ran in virtual time: 4 looks (the fake's controller steps), 3 pauses of 2 s.
      assert.deepEqual(clock.sleeps, [2000, 2000, 2000]);
      // Customers are in user-db, registered through the front-end forward, each with an address and a card.
      const customers = (await (await fetch(`${target.frontEndUrl}/customers`)).json()) as { _embedded: { customer: { username: string }[] } };
      const names = customers._embedded.customer.map((x) => x.username);
      for (let i = 1; i <= 4; i++) assert.ok(names.includes(customerUsername(i)), `${customerUsername(i)} missing`);
      assert.equal(names.length, 3 + 4);
      const cards = (await (await fetch(`${target.frontEndUrl}/cards`)).json()) as { _embedded: { card: unknown[] } };
      assert.equal(cards._embedded.card.length, 3 + 4);
      // Prometheus through its forward.
      const q = (await (await fetch(`${target.prometheusUrl}/api/v1/query?query=up`)).json()) as { path: string };
      assert.equal(q.path, '/api/v1/query?query=up');
      assert.deepEqual(target.describe(), {
        context: 'fake',
        server: c.api.url,
        serverVersion: 'v1.31.0',
        istioVersion: '1.24.0',
        namespace: 'sock-shop',
        prometheus: { service: 'munnin-monitoring/prometheus:9090' },
        prometheusScrapeIntervalSeconds: 1,
        statsFlushSeconds: 1,
        tcpReportingIntervalSeconds: 1,
        outboundTrafficPolicy: 'ALLOW_ANY',
      });
      assert.ok(notes.includes('kubernetes: Prometheus scrapes the sidecars every 1 s (its configuration, job envoy-stats)'), notes.join('\n'));
      assert.ok(notes.includes('kubernetes: registering 4 customers through the front-end (0 already there)...'));
      assert.ok(notes.includes('kubernetes: rollout 16/16 deployments ready'), notes.join('\n'));
      // egress through exec in the user pod.
      c.api.execHandler = ({ command }) => ({ stdout: `{"received": ${Number(command[2])}}\n` });
      assert.deepEqual(await target.egress('user', 1234), { bytes: 1234 });
      await assert.rejects(target.egress('orders', 10), (e: unknown) => e instanceof UserError && e.message === 'exfiltration.workload: "orders" cannot be compromised on the Kubernetes target (only user has an "attacker" container in istio/)');
      // scan and lateral through exec in the same container, the Services' ports read from the manifests.
      assert.deepEqual(target.attackers, ['user']);
      const commands: string[][] = [];
      c.api.execHandler = ({ command }) => {
        commands.push(command);
        return { stdout: '{"attempts": 2, "answered": 1}\n' };
      };
      assert.deepEqual(await target.scan!('user', [{ service: 'catalogue-db', otherPorts: [22] }], { secondsBetweenTargets: 0 }), { attempts: 2, answered: 1 });
      assert.deepEqual(await target.lateral!('user', 'orders-db', { calls: 2, secondsBetweenCalls: 0.5 }), { attempts: 2, answered: 1 });
      assert.deepEqual(commands, [
        ['/bin/bash', '/munnin/scan.sh', '0', '22', 'catalogue-db:3306'],
        ['/bin/bash', '/munnin/lateral.sh', 'orders-db', '27017', 'mongo', '2', '0.5'],
      ]);
    } finally {
      await target.stop();
    }
    // stop() closed the forwards and, without teardown, left the cluster as it was.
    await assert.rejects(fetch(`${target.frontEndUrl}/customers`));
    assert.ok(c.api.get('namespaces', undefined, 'sock-shop'));
    await target.stop();
  });

  it('is idempotent on a prepared cluster: nothing changed, no customer registered twice; teardown on stop when asked', async () => {
    const first = await startKubernetesTarget({ kubernetes: params(), customers: 4, kubeconfig: c.kubeconfig(), clock: virtualClock() });
    await first.stop();
    const notes: string[] = [];
    const second = await startKubernetesTarget({ kubernetes: params({ teardown: true }), customers: 4, kubeconfig: c.kubeconfig(), onProgress: (m) => notes.push(m), clock: virtualClock() });
    await second.stop();
    assert.ok(notes.includes('kubernetes: 0 created, 0 updated, 39 unchanged'), notes.join('\n'));
    assert.ok(notes.includes('kubernetes: 4 customers already in user-db'));
    assert.equal(c.api.get('namespaces', undefined, 'sock-shop'), undefined);
    assert.equal(c.api.get('namespaces', undefined, 'munnin'), undefined);
    assert.ok(c.api.get('namespaces', undefined, 'munnin-monitoring'), 'the separately installed Prometheus stays');
  });

  it('uses the given Prometheus URL as is, and a --namespace other than sock-shop', async () => {
    // A URL of the user's must answer (a Prometheus that does not is refused: regression/k8sPrometheusUnreachable).
    const given = `http://127.0.0.1:${prometheusPort}/`;
    const target = await startKubernetesTarget({ kubernetes: params({ namespace: 'shop-2' }), prometheusUrl: given, customers: 4, kubeconfig: c.kubeconfig(), clock: virtualClock() });
    try {
      assert.equal(target.prometheusUrl, given);
      assert.equal(target.namespace, 'shop-2');
      assert.ok(c.api.get('deployments', 'shop-2', 'user'));
      // The relay (namespace munnin) is pointed at the renamed namespace's front-end.
      const relayEnv = c.api.get('deployments', 'munnin', 'front-end-relay')!['spec'].template.spec.containers[0].env;
      assert.deepEqual(relayEnv, [{ name: 'UPSTREAM', value: 'http://front-end.shop-2.svc.cluster.local:80' }]);
    } finally {
      await target.stop();
    }
  });

  it('reads the scrape interval from the configuration of the Prometheus in use, and refuses shorter intervals before applying anything', async () => {
    prometheusConfig = ADDON_PROMETHEUS_CONFIG;
    await assert.rejects(
      startKubernetesTarget({ kubernetes: params(), intervalSeconds: 2, customers: 4, kubeconfig: c.kubeconfig(), clock: virtualClock() }),
      (e: unknown) => e instanceof UserError && /^intervalSeconds: 2 s is shorter than the 15-s scrape interval of the Prometheus in use \(http:\/\/127\.0\.0\.1:\d+\): most intervals would read no change; use --interval 15 or more/.test(e.message),
    );
    assert.equal(c.api.requests.filter((r) => r.method === 'PATCH').length, 0, 'nothing applied');
    const target = await startKubernetesTarget({ kubernetes: params(), intervalSeconds: 15, customers: 4, kubeconfig: c.kubeconfig(), clock: virtualClock() });
    try {
      assert.equal(target.prometheusScrapeIntervalSeconds, 15);
    } finally {
      await target.stop();
    }
  });

  it('on a failed start, closes what it opened and tears down when asked, then throws the one message', async () => {
    c.api.stuck.add('sock-shop/carts');
    await assert.rejects(
      startKubernetesTarget({ kubernetes: params({ teardown: true, rolloutTimeoutMillis: 20_000 }), customers: 4, kubeconfig: c.kubeconfig(), clock: virtualClock() }),
      (e: unknown) => e instanceof UserError && e.message.startsWith('kubernetes: rollouts not finished after 20 s: sock-shop/carts (0/1 available; pod carts-01f9c-x2k4q: container carts ImagePullBackOff'),
    );
    assert.equal(c.api.get('namespaces', undefined, 'sock-shop'), undefined);
  });

  it('fails on an unknown context before touching any server', async () => {
    await assert.rejects(
      startKubernetesTarget({ kubernetes: params({ context: 'does-not-exist' }), kubeconfig: c.kubeconfig() }),
      (e: unknown) => e instanceof UserError && e.message === 'kubernetes: context "does-not-exist" not found in kubeconfig (available: fake, other)',
    );
    assert.equal(c.api.requests.length, 0);
  });
});
