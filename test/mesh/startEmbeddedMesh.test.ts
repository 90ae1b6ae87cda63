import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS, startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { Browser, eventually, scrapeAll, total, type Sample } from './exposition.ts';

const TCP_SERVICES = new Set(['catalogue-db', 'carts-db', 'orders-db', 'user-db', 'session-db', 'rabbitmq']);
const edgeKey = (src: string, dst: string) => `${src}→${dst}`;
const TOPOLOGY = new Set(SOCK_SHOP_EDGES.map((e) => edgeKey(e.src, e.dst)));

/** Register, log in, browse, add to cart and buy, as a Sock Shop user does. */
async function shopperFlow(base: string): Promise<void> {
  const b = new Browser(base);
  assert.equal((await b.request('/')).status, 200);
  const reg = await b.request('/register', { method: 'POST', body: { username: 'alice', password: 'wonderland', email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' } });
  assert.equal(reg.status, 200, reg.text);
  assert.equal((await b.request('/addresses', { method: 'POST', body: { street: 'Rabbit Hole', number: '1', city: 'Oxford', postcode: 'OX1', country: 'UK' } })).status, 200);
  assert.equal((await b.request('/cards', { method: 'POST', body: { longNum: '4111111111111111', expires: '04/30', ccv: '123' } })).status, 200);
  const login = await b.request('/login', { headers: { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` } });
  assert.equal(login.status, 200, login.text);
  const catalogue = JSON.parse((await b.request('/catalogue')).text) as { id: string }[];
  assert.equal(catalogue.length, 12);
  assert.equal((await b.request('/category.html')).status, 200);
  const sock = catalogue[3]?.id ?? '';
  assert.equal((await b.request(`/catalogue/${sock}`)).status, 200);
  assert.equal((await b.request('/cart', { method: 'POST', body: { id: sock } })).status, 201);
  assert.deepEqual((JSON.parse((await b.request('/cart')).text) as { itemId: string }[]).map((i) => i.itemId), [sock]);
  const order = await b.request('/orders', { method: 'POST' });
  assert.equal(order.status, 201, order.text);
  assert.equal((await b.request('/orders')).status, 200);
}

/** Series of an edge as its proxies report it: HTTP requests, or TCP connections. */
function edgeSeries(samples: readonly (Sample & { sidecar: string })[], src: string, dst: string, reporter: string) {
  const name = TCP_SERVICES.has(dst) ? 'istio_tcp_connections_opened_total' : 'istio_requests_total';
  return samples.filter((s) => s.name === name && s.labels['reporter'] === reporter && s.labels['source_workload'] === src && s.labels['destination_service_name'] === dst);
}

describe('embedded mesh: a shopper flow as Istio telemetry', () => {
  let mesh: EmbeddedMesh;
  let samples: (Sample & { sidecar: string })[];

  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 20, catalogueItems: 12 });
    // queue-master subscribes asynchronously at start, and gets the shipment asynchronously
    // after the order: wait for its subscription, then for its acknowledgement of the shipment.
    const fromQueueMaster = (reporter: string) => total(samples, 'istio_tcp_received_bytes_total', { reporter, source_workload: 'queue-master' });
    await eventually(async () => {
      samples = await scrapeAll(mesh.scrapeTargets);
      assert.ok(fromQueueMaster('destination') > 0, 'subscription reached rabbitmq');
    });
    const subscribed = fromQueueMaster('destination');
    await shopperFlow(mesh.frontEndUrl);
    await eventually(async () => {
      samples = await scrapeAll(mesh.scrapeTargets);
      assert.ok(fromQueueMaster('destination') > subscribed, 'acknowledgement reached rabbitmq');
      assert.equal(fromQueueMaster('destination'), fromQueueMaster('source'));
    });
  });
  after(() => mesh.stop());

  it('reports every topology edge twice: source reporter on the caller, destination reporter on the callee', () => {
    for (const { src, dst } of SOCK_SHOP_EDGES) {
      const bySource = edgeSeries(samples, src, dst, 'source');
      const byDestination = edgeSeries(samples, src, dst, 'destination');
      assert.ok(bySource.length > 0, `${src}→${dst} has a source-reporter series`);
      assert.ok(byDestination.length > 0, `${src}→${dst} has a destination-reporter series`);
      assert.ok(bySource.every((s) => s.sidecar === src), `${src}→${dst} source series on ${src}'s sidecar`);
      assert.ok(byDestination.every((s) => s.sidecar === dst), `${src}→${dst} destination series on ${dst}'s sidecar`);
      for (const s of bySource) {
        const { reporter: _r, connection_security_policy: policy, ...rest } = s.labels;
        assert.equal(policy, 'unknown', 'a source proxy cannot know the policy');
        const twin = byDestination.find((d) => {
          const { reporter: _r2, connection_security_policy: _p, ...other } = d.labels;
          return JSON.stringify(other) === JSON.stringify(rest);
        });
        assert.ok(twin, `${src}→${dst}: destination series with the same labels as ${JSON.stringify(s.labels)}`);
        assert.equal(twin.labels['connection_security_policy'], 'mutual_tls');
        assert.equal(twin.value, s.value, `${src}→${dst}: both reporters count the same`);
      }
    }
  });

  it('both reporters measure the same bytes on every edge', () => {
    for (const { src, dst } of SOCK_SHOP_EDGES) {
      const metrics = TCP_SERVICES.has(dst) ? ['istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total'] : ['istio_request_bytes_sum', 'istio_response_bytes_sum', 'istio_request_bytes_count'];
      for (const m of metrics) {
        const at = (reporter: string) => total(samples, m, { reporter, source_workload: src, destination_service_name: dst });
        assert.ok(at('source') > 0, `${src}→${dst} ${m} > 0`);
        assert.equal(at('destination'), at('source'), `${src}→${dst} ${m}`);
      }
    }
  });

  it('shows no edge outside the topology', () => {
    for (const s of samples) {
      const src = s.labels['source_workload'];
      const dst = s.labels['destination_service_name'];
      if (src === undefined || dst === undefined) continue;
      if (src === 'unknown') assert.equal(dst, 'front-end', 'only the front-end is reachable from outside');
      else assert.ok(TOPOLOGY.has(edgeKey(src, dst)), `unexpected edge ${src}→${dst} on ${s.sidecar}'s sidecar`);
    }
  });

  it('labels services as Istio does (FQDN, namespace, protocol)', () => {
    const s = samples.find((x) => x.name === 'istio_requests_total' && x.labels['destination_service_name'] === 'catalogue');
    assert.ok(s);
    assert.equal(s.labels['destination_service'], 'catalogue.sock-shop.svc.cluster.local');
    assert.equal(s.labels['destination_service_namespace'], 'sock-shop');
    assert.equal(s.labels['source_workload_namespace'], 'sock-shop');
    assert.equal(s.labels['request_protocol'], 'http');
    assert.equal(s.labels['response_code'], '200');
    const t = samples.find((x) => x.name === 'istio_tcp_sent_bytes_total' && x.labels['destination_service_name'] === 'user-db');
    assert.equal(t?.labels['request_protocol'], 'tcp');
    assert.equal(t?.labels['response_code'], undefined, 'TCP metrics carry no response code');
  });

  it('shows the outside caller only as unknown, reported by the front-end sidecar as destination', () => {
    const outside = samples.filter((s) => s.labels['source_workload'] === 'unknown');
    assert.ok(outside.length > 0);
    for (const s of outside) {
      assert.equal(s.sidecar, 'front-end');
      assert.equal(s.labels['reporter'], 'destination');
      assert.equal(s.labels['destination_workload'], 'front-end');
      assert.equal(s.labels['connection_security_policy'], 'none');
    }
    // The flow's 12 requests (/, register, addresses, cards, login, catalogue, category.html,
    // one sock, add to cart, cart, buy, orders), each counted once.
    assert.equal(total(samples, 'istio_requests_total', { source_workload: 'unknown' }), 12);
  });

  it('scrape targets: one per workload, services in stable order', () => {
    assert.deepEqual(mesh.services, SOCK_SHOP_WORKLOADS);
    assert.deepEqual(mesh.scrapeTargets.map((t) => t.workload), [...SOCK_SHOP_WORKLOADS]);
    assert.equal(new Set(mesh.scrapeTargets.map((t) => t.url)).size, SOCK_SHOP_WORKLOADS.length);
  });
});
