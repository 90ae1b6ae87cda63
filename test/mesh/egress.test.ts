import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { scrapeAll, total } from './exposition.ts';

describe('egress exfiltration', () => {
  let mesh: EmbeddedMesh;
  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 40, catalogueItems: 10 });
  });
  after(() => mesh.stop());

  it('moves the bytes asked from user-db to the sink, seen as user → user-db and user → PassthroughCluster', async () => {
    const asked = 50_000;
    const result = await mesh.egress('user', asked);
    assert.ok(result.bytes >= asked, `sink got ${result.bytes} ≥ ${asked}`);
    assert.equal(mesh.sinkBytes, result.bytes, 'the sink counted what egress reports');

    const samples = await scrapeAll(mesh.scrapeTargets);
    const out = { reporter: 'source', source_workload: 'user', destination_service_name: 'PassthroughCluster' };
    const sent = total(samples, 'istio_request_bytes_sum', out);
    assert.ok(sent >= asked, `user → PassthroughCluster request bytes ${sent} ≥ ${asked}`);
    assert.ok(sent > result.bytes, 'request bytes include the request heads on top of the bodies');
    const series = samples.find((s) => s.name === 'istio_requests_total' && s.labels['destination_service_name'] === 'PassthroughCluster');
    assert.equal(series?.sidecar, 'user');
    assert.equal(series?.labels['destination_service'], 'PassthroughCluster');
    assert.equal(series?.labels['destination_workload'], 'unknown');
    // Nothing outside the mesh has a sidecar to report the other end.
    assert.equal(samples.filter((s) => s.labels['destination_service_name'] === 'PassthroughCluster' && s.labels['reporter'] === 'destination').length, 0);

    const fromStore = total(samples, 'istio_tcp_sent_bytes_total', { reporter: 'source', source_workload: 'user', destination_service_name: 'user-db' });
    assert.ok(fromStore >= asked, `user-db sent ${fromStore} ≥ ${asked} to user`);
    assert.equal(total(samples, 'istio_tcp_sent_bytes_total', { reporter: 'destination', source_workload: 'user', destination_service_name: 'user-db' }), fromStore);
    // The trigger itself is in-process: no request reached the front-end or the user service.
    assert.equal(total(samples, 'istio_requests_total', { reporter: 'destination' }), 0);
  });

  it('keeps reading around when the store holds less than asked', async () => {
    const before = mesh.sinkBytes;
    const result = await mesh.egress('catalogue', 30_000);
    assert.ok(result.bytes >= 30_000);
    assert.equal(mesh.sinkBytes - before, result.bytes);
  });

  it('refuses workloads without a data store, bad sizes, and empty stores', async () => {
    await assert.rejects(mesh.egress('payment', 1000), (e: unknown) => e instanceof UserError && /payment/.test(e.message));
    await assert.rejects(mesh.egress('user', 0), (e: unknown) => e instanceof UserError && /bytes/.test(e.message));
    await assert.rejects(mesh.egress('orders', 1000), /no records/);
  });
});
