// Scans and lateral movements on the embedded mesh, as its sidecars report them: what Istio
// reports for the same connections (both sidecars for a mesh call; the caller's alone, as
// PassthroughCluster with flag UF, for a port nothing listens on).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { TCP_PROBE } from '../../src/mesh/Intruder.ts';
import { scrapeAll, total, type Sample } from './exposition.ts';

// Sock Shop's services by protocol (README "The embedded mesh"): HTTP services, and the data
// stores and the queue, which speak a line protocol over TCP.
const HTTP = ['front-end', 'catalogue', 'carts', 'orders', 'payment', 'shipping', 'queue-master', 'user'];
const TCP = ['catalogue-db', 'carts-db', 'orders-db', 'user-db', 'session-db', 'rabbitmq'];

describe('attacks on the embedded mesh, as the sidecars report them', () => {
  let mesh: EmbeddedMesh;
  let samples: Sample[];
  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 20, catalogueItems: 10 });
  });
  after(() => mesh.stop());

  const delta = async (act: () => Promise<unknown>) => {
    const before = await scrapeAll(mesh.scrapeTargets);
    const result = await act();
    const afterwards = await scrapeAll(mesh.scrapeTargets);
    const key = (s: Sample & { sidecar: string }) => `${s.sidecar}|${s.name}|${JSON.stringify(s.labels)}`;
    const was = new Map(before.map((s) => [key(s), s.value]));
    samples = afterwards.map((s) => ({ ...s, value: s.value - (was.get(key(s)) ?? 0) }));
    return result;
  };

  it('a scan from orders tries all 13 other services on their port and two others: 39 attempts, 13 answered', async () => {
    const others = [...HTTP, ...TCP].filter((s) => s !== 'orders');
    const tally = await delta(() => mesh.scan('orders', others.map((service) => ({ service, otherPorts: [22, 443] })), { secondsBetweenTargets: 0 }));
    assert.deepEqual(tally, { attempts: 39, answered: 13 });

    const fromOrders = (reporter: string, dst: string, extra: Record<string, string> = {}) => ({ reporter, source_workload: 'orders', destination_service_name: dst, ...extra });
    for (const s of HTTP.filter((x) => x !== 'orders')) {
      // One `GET /` each, reported by both ends; only the front-end has a page at `/`.
      const code = s === 'front-end' ? '200' : '404';
      assert.equal(total(samples, 'istio_requests_total', fromOrders('source', s, { response_code: code })), 1, `${s} (source)`);
      assert.equal(total(samples, 'istio_requests_total', fromOrders('destination', s, { response_code: code })), 1, `${s} (destination)`);
      assert.equal(total(samples, 'istio_tcp_connections_opened_total', fromOrders('source', s)), 0, 'HTTP traffic has request metrics, not TCP ones');
    }
    for (const s of TCP) {
      for (const reporter of ['source', 'destination']) {
        assert.equal(total(samples, 'istio_tcp_connections_opened_total', fromOrders(reporter, s, { response_flags: '-' })), 1, `${s} (${reporter})`);
        // The callee sees the close a moment later; the caller's count is settled when the probe resolves.
        if (reporter === 'source') assert.equal(total(samples, 'istio_tcp_connections_closed_total', fromOrders(reporter, s)), 1, `${s} closed`);
        assert.equal(total(samples, 'istio_tcp_received_bytes_total', fromOrders(reporter, s)), Buffer.byteLength(TCP_PROBE), `${s}: the probe's bytes (${reporter})`);
        assert.ok(total(samples, 'istio_tcp_sent_bytes_total', fromOrders(reporter, s)) > 0, `${s} answered (${reporter})`);
      }
    }
    // 13 services × 2 ports nothing listens on: refused past the caller's sidecar.
    const passthrough = fromOrders('source', 'PassthroughCluster', { response_flags: 'UF', destination_workload: 'unknown' });
    assert.equal(total(samples, 'istio_tcp_connections_opened_total', passthrough), 26);
    assert.equal(total(samples, 'istio_tcp_connections_closed_total', passthrough), 26);
    assert.equal(total(samples, 'istio_tcp_sent_bytes_total', passthrough) + total(samples, 'istio_tcp_received_bytes_total', passthrough), 0);
    assert.equal(samples.filter((s) => s.labels['destination_service_name'] === 'PassthroughCluster' && s.labels['reporter'] === 'destination' && s.value !== 0).length, 0);
    // Nothing else: the 7 HTTP services' one request each is all orders' sidecar reports as requests.
    assert.equal(total(samples, 'istio_requests_total', { source_workload: 'orders', reporter: 'source' }), 7);
  });

  it('a lateral movement user → orders-db opens a new connection per call and reads one record', async () => {
    const tally = await delta(() => mesh.lateral('user', 'orders-db', { calls: 4, secondsBetweenCalls: 0 }));
    assert.deepEqual(tally, { attempts: 4, answered: 4 });
    for (const reporter of ['source', 'destination']) {
      const edge = { reporter, source_workload: 'user', destination_service_name: 'orders-db' };
      assert.equal(total(samples, 'istio_tcp_connections_opened_total', edge), 4, reporter);
      if (reporter === 'source') assert.equal(total(samples, 'istio_tcp_connections_closed_total', edge), 4);
      assert.ok(total(samples, 'istio_tcp_received_bytes_total', edge) > 0, reporter);
    }
  });

  it('a lateral movement front-end → payment calls GET /health, reported by both sidecars', async () => {
    const tally = await delta(() => mesh.lateral('front-end', 'payment', { calls: 3, secondsBetweenCalls: 0.01 }));
    assert.deepEqual(tally, { attempts: 3, answered: 3 });
    for (const reporter of ['source', 'destination']) {
      assert.equal(total(samples, 'istio_requests_total', { reporter, source_workload: 'front-end', destination_service_name: 'payment', response_code: '200' }), 3, reporter);
    }
    assert.equal(total(samples, 'istio_requests_total', { reporter: 'source', source_workload: 'front-end' }), 3, 'nothing else');
  });

  it('refuses an unknown workload or destination', async () => {
    await assert.rejects(mesh.scan('nobody', [{ service: 'user', otherPorts: [] }], { secondsBetweenTargets: 0 }), (e: unknown) => e instanceof UserError && /scan\.workload: no workload "nobody"/.test(e.message));
    await assert.rejects(mesh.scan('user', [{ service: 'ghost', otherPorts: [] }], { secondsBetweenTargets: 0 }), (e: unknown) => e instanceof UserError && /no service "ghost"/.test(e.message));
    await assert.rejects(mesh.lateral('user', 'ghost', { calls: 1, secondsBetweenCalls: 0 }), (e: unknown) => e instanceof UserError && /lateral\.to: no service "ghost"/.test(e.message));
  });
});
