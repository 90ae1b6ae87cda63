// Offline checks of istio/: the manifests parse, are complete Kubernetes objects, name their
// ports for Istio's protocol selection, label the namespaces, and wire the exfiltration parts.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { tmpDir } from './tmpDir.ts';
import { configMapFromFolder, DEFAULT_LOCUST_JOB, DEFAULT_MANIFESTS_DIR, inApplyOrder, loadManifests, parseManifestFile, retargetNamespace, type KubeObject } from '../../src/k8s/index.ts';

type Obj = Record<string, any>;
const main = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object as Obj);
const extras = [join(DEFAULT_MANIFESTS_DIR, 'prometheus', 'prometheus.yaml'), DEFAULT_LOCUST_JOB].flatMap((f) => parseManifestFile(f).map((m) => m.object as Obj));
const all = [...main, ...extras];
const find = (kind: string, name: string, namespace?: string) => all.find((o) => o['kind'] === kind && o['metadata'].name === name && (namespace === undefined || o['metadata'].namespace === namespace));
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

// The Sock Shop as the issue describes it: the HTTP services, and the data stores and queue over TCP.
const HTTP_SERVICES = ['front-end', 'catalogue', 'carts', 'orders', 'payment', 'shipping', 'queue-master', 'user'];
const TCP_SERVICES: Record<string, string> = { 'catalogue-db': 'tcp-mysql', 'carts-db': 'tcp-mongo', 'orders-db': 'tcp-mongo', 'user-db': 'tcp-mongo', 'session-db': 'tcp-redis', rabbitmq: 'tcp-amqp' };

describe('istio/ manifests', () => {
  it('parse into complete objects: apiVersion, kind, metadata.name, and a namespace on every namespaced one', () => {
    assert.ok(main.length >= 30, `only ${main.length} objects in istio/`);
    for (const o of all) {
      const id = `${o['kind']}/${o['metadata']?.name}`;
      assert.equal(typeof o['apiVersion'], 'string', id);
      assert.equal(typeof o['kind'], 'string', id);
      assert.match(o['metadata'].name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, id);
      if (!CLUSTER_SCOPED.has(o['kind'])) assert.equal(typeof o['metadata'].namespace, 'string', `${id} has no namespace`);
    }
  });

  it('label sock-shop for sidecar injection and keep munnin (sink, Locust) outside the mesh', () => {
    assert.equal(find('Namespace', 'sock-shop')?.['metadata'].labels['istio-injection'], 'enabled');
    assert.equal(find('Namespace', 'munnin')?.['metadata'].labels['istio-injection'], 'disabled');
    assert.equal(find('Namespace', 'munnin-monitoring')?.['metadata'].labels['istio-injection'], 'disabled');
  });

  it('deploy every Sock Shop workload from the upstream images, with a Service of the same name', () => {
    for (const name of [...HTTP_SERVICES, ...Object.keys(TCP_SERVICES)]) {
      const d = find('Deployment', name, 'sock-shop');
      assert.ok(d, `no Deployment ${name}`);
      assert.ok(find('Service', name, 'sock-shop'), `no Service ${name}`);
      const image: string = d['spec'].template.spec.containers[0].image;
      if (!['catalogue-db', 'carts-db', 'orders-db', 'session-db', 'rabbitmq'].includes(name)) assert.match(image, /^weaveworksdemos\//, name);
      assert.match(image, /:[^:]+$/, `${name}: image ${image} not pinned to a tag`);
    }
  });

  it('name the HTTP services `http` with appProtocol http, and the data stores and queue `tcp-*`', () => {
    for (const name of HTTP_SERVICES) {
      const ports = find('Service', name, 'sock-shop')!['spec'].ports as Obj[];
      assert.equal(ports.length, 1, name);
      assert.equal(ports[0]!['name'], 'http', name);
      assert.equal(ports[0]!['appProtocol'], 'http', name);
    }
    for (const [name, portName] of Object.entries(TCP_SERVICES)) {
      const ports = find('Service', name, 'sock-shop')!['spec'].ports as Obj[];
      assert.deepEqual(ports.map((p) => p['name']), [portName], name);
      assert.equal(ports[0]!['appProtocol'], undefined, name);
    }
  });

  it('name every Service port and container port (Istio and IANA naming rules)', () => {
    for (const o of all) {
      if (o['kind'] === 'Service') {
        for (const p of o['spec'].ports) assert.match(p.name ?? '', /^(http|tcp)(-[a-z0-9-]+)?$/, `${o['metadata'].namespace}/${o['metadata'].name} port ${p.port}`);
      }
      const pod = o['kind'] === 'Deployment' || o['kind'] === 'Job' ? o['spec'].template.spec : undefined;
      for (const c of pod?.containers ?? []) {
        for (const p of c.ports ?? []) assert.match(p.name ?? '', /^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, `${o['metadata'].name}/${c.name} port ${p.containerPort}`);
      }
    }
  });

  it('point each Service at its pods: selectors match the pod labels, targetPorts match container ports', () => {
    for (const svc of all.filter((o) => o['kind'] === 'Service')) {
      const pods = all.filter((o) => o['kind'] === 'Deployment' && o['metadata'].namespace === svc['metadata'].namespace && Object.entries(svc['spec'].selector).every(([k, v]) => o['spec'].template.metadata.labels[k] === v));
      assert.equal(pods.length, 1, `Service ${svc['metadata'].name} selects ${pods.length} deployments`);
      const containerPorts = pods[0]!['spec'].template.spec.containers.flatMap((c: Obj) => (c['ports'] ?? []).map((p: Obj) => p['containerPort']));
      for (const p of svc['spec'].ports) assert.ok(containerPorts.includes(p.targetPort), `Service ${svc['metadata'].name}: targetPort ${p.targetPort} not a container port`);
    }
    for (const d of all.filter((o) => o['kind'] === 'Deployment')) {
      for (const [k, v] of Object.entries(d['spec'].selector.matchLabels)) assert.equal(d['spec'].template.metadata.labels[k], v, `Deployment ${d['metadata'].name}: selector ${k}`);
    }
  });

  it('mount only ConfigMaps that exist in the same namespace (the attacker script, the sink, Prometheus; locustfiles is built at apply time)', () => {
    for (const o of all.filter((x) => x['kind'] === 'Deployment' || x['kind'] === 'Job')) {
      for (const v of o['spec'].template.spec.volumes ?? []) {
        if (!v.configMap) continue;
        if (v.configMap.name === 'locustfiles') continue;
        assert.ok(find('ConfigMap', v.configMap.name, o['metadata'].namespace), `${o['metadata'].name} mounts missing ConfigMap ${v.configMap.name}`);
      }
    }
  });

  it('give the user pod the attacker container, and hide the sink from the mesh (exportTo ".", no sidecar)', () => {
    const containers = find('Deployment', 'user', 'sock-shop')!['spec'].template.spec.containers as Obj[];
    const attacker = containers.find((c) => c['name'] === 'attacker');
    assert.ok(attacker, 'no attacker container in user');
    const env = Object.fromEntries(attacker['env'].map((e: Obj) => [e['name'], e['value']]));
    assert.equal(env['DATA_STORE_HOST'], 'user-db');
    assert.equal(env['SINK_HOST'], 'sink.munnin.svc.cluster.local');
    assert.equal(find('Service', 'sink', 'munnin')!['metadata'].annotations['networking.istio.io/exportTo'], '.');
    assert.equal(find('Deployment', 'sink', 'munnin')!['spec'].template.metadata.annotations['sidecar.istio.io/inject'], 'false');
    // No other workload can be compromised: egress() refuses them with a clear message.
    const others = all.filter((o) => o['kind'] === 'Deployment' && o['metadata'].name !== 'user' && o['spec'].template.spec.containers.some((c: Obj) => c['name'] === 'attacker'));
    assert.deepEqual(others, []);
  });

  it('put the front-end relay outside the mesh (namespace munnin, no sidecar), relaying to the front-end Service', () => {
    const relay = find('Deployment', 'front-end-relay', 'munnin')!;
    assert.equal(relay['spec'].template.metadata.annotations['sidecar.istio.io/inject'], 'false');
    const container = relay['spec'].template.spec.containers[0] as Obj;
    assert.deepEqual(container['env'], [{ name: 'UPSTREAM', value: 'http://front-end.sock-shop.svc.cluster.local:80' }]);
    assert.equal(find('Service', 'front-end', 'sock-shop')!['spec'].ports[0].port, 80);
    assert.deepEqual(find('Service', 'front-end-relay', 'munnin')!['spec'].ports.map((p: Obj) => [p['port'], p['targetPort']]), [[80, container['ports'][0].containerPort]]);
  });

  it('keep the munnin Prometheus scraping the sidecars every second', () => {
    const config = find('ConfigMap', 'prometheus', 'munnin-monitoring')!['data']['prometheus.yml'] as string;
    assert.match(config, /scrape_interval: 1s/);
    assert.match(config, /metrics_path: \/stats\/prometheus/);
    assert.match(config, /-envoy-prom/);
  });

  it('apply namespaces, then configuration and services, then workloads', () => {
    const kinds = inApplyOrder(main.map((object) => ({ object: object as KubeObject }))).map((x) => x.object.kind);
    const last = (k: string) => kinds.lastIndexOf(k);
    const first = (k: string) => kinds.indexOf(k);
    assert.ok(last('Namespace') < first('ConfigMap') && last('ConfigMap') < first('Service') && last('Service') < first('Deployment'), kinds.join(' '));
  });

  it('rename the application namespace for --namespace, leaving munnin alone', () => {
    const moved = retargetNamespace(loadManifests(DEFAULT_MANIFESTS_DIR), 'sock-shop', 'shop-2').map((m) => m.object);
    assert.ok(moved.some((o) => o.kind === 'Namespace' && o.metadata.name === 'shop-2'));
    assert.ok(!moved.some((o) => o.metadata.namespace === 'sock-shop' || (o.kind === 'Namespace' && o.metadata.name === 'sock-shop')));
    assert.equal(moved.filter((o) => o.metadata.namespace === 'shop-2').length, main.filter((o) => o['metadata'].namespace === 'sock-shop').length);
    assert.equal(moved.find((o) => o.kind === 'Service' && o.metadata.name === 'sink')?.metadata.namespace, 'munnin');
    // The originals are untouched.
    assert.ok(main.some((o) => o['metadata'].namespace === 'sock-shop'));
  });
});

describe('loadManifests errors', () => {
  const dirWith = (files: Record<string, string>) => {
    const dir = tmpDir('manifests');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('names file and line of invalid YAML', () => {
    // Line 10 is indented under a scalar: the parser stops at line 9, where `name: x` cannot take a mapping.
    const dir = dirWith({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n    bad: 1\n' });
    assert.throws(() => loadManifests(dir), (e: unknown) => e instanceof UserError && e.message === `${join(dir, 'a.yaml')}:9: invalid YAML: Nested mappings are not allowed in compact mappings`);
  });

  it('names file and line of an object without kind', () => {
    const dir = dirWith({ 'b.yml': '# comment\n---\napiVersion: v1\nmetadata:\n  name: x\n' });
    assert.throws(() => loadManifests(dir), (e: unknown) => e instanceof UserError && e.message === `${join(dir, 'b.yml')}:3: object without kind (every manifest object needs apiVersion, kind and metadata.name)`);
  });

  it('skips empty documents and reads files in name order', () => {
    const dir = dirWith({ '2.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two, namespace: n}\n---\n', '1.yaml': '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n' });
    assert.deepEqual(loadManifests(dir).map((m) => m.object.metadata.name), ['n', 'two']);
  });

  it('refuses a folder without manifests', () => {
    assert.throws(() => loadManifests(dirWith({ 'readme.md': '#' })), /no \*\.yaml manifests in/);
  });
});

describe('configMapFromFolder', () => {
  it('carries every file of locust/ unchanged', () => {
    const dir = join(DEFAULT_MANIFESTS_DIR, '..', 'locust');
    const cm = configMapFromFolder(dir, 'locustfiles', 'munnin') as Obj;
    const files = readdirSync(dir).filter((f) => !f.startsWith('.') && !f.startsWith('__'));
    assert.deepEqual(Object.keys(cm['data']).sort(), files.sort());
    for (const f of files) assert.equal(cm['data'][f], readFileSync(join(dir, f), 'utf8'));
    assert.equal(cm['metadata'].namespace, 'munnin');
  });

  it('fails clearly without a locustfile.py', () => {
    const dir = tmpDir('locust');
    writeFileSync(join(dir, 'other.py'), 'pass\n');
    assert.throws(() => configMapFromFolder(dir, 'locustfiles', 'munnin'), (e: unknown) => e instanceof UserError && e.message === `kubernetes: ${join(dir, 'locustfile.py')} not found (needed for the ConfigMap munnin/locustfiles)`);
  });
});
