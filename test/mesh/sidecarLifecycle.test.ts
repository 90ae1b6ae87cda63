import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { parseExposition, total } from './exposition.ts';

/** GET a URL; resolve with the status, or with the connection error's code. */
function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('sidecar lifecycle', () => {
  let mesh: EmbeddedMesh;
  const urlOf = (w: string) => mesh.scrapeTargets.find((t) => t.workload === w)?.url ?? '';
  const scrape = async (w: string) => parseExposition(await (await fetch(urlOf(w))).text());
  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'shop', customers: 5, catalogueItems: 5 });
  });
  after(() => mesh.stop());

  it('restartWorkload resets that sidecar counters only, and the service keeps serving', async () => {
    assert.equal((await fetch(`${mesh.frontEndUrl}/catalogue`)).status, 200);
    assert.equal(total(await scrape('catalogue'), 'istio_requests_total', { reporter: 'destination' }), 1);
    await mesh.restartWorkload('catalogue');
    const restarted = await scrape('catalogue');
    assert.equal(restarted.filter((s) => s.name.startsWith('istio_')).length, 0, 'a new proxy has no series yet');
    assert.equal((await fetch(`${mesh.frontEndUrl}/catalogue`)).status, 200);
    assert.equal(total(await scrape('catalogue'), 'istio_requests_total', { reporter: 'destination' }), 1);
    assert.equal(total(await scrape('front-end'), 'istio_requests_total', { reporter: 'source', destination_service_name: 'catalogue' }), 2);
    await assert.rejects(mesh.restartWorkload('nope'), /no workload "nope"/);
  });

  it('stopSidecar refuses connections to the metrics URL while traffic keeps being counted', async () => {
    await mesh.stopSidecar('user');
    assert.equal(await probe(urlOf('user')), 'ECONNREFUSED');
    assert.equal((await fetch(`${mesh.frontEndUrl}/customers`)).status, 200);
    await mesh.startSidecar('user');
    assert.equal(await probe(urlOf('user')), 200);
    assert.equal(total(await scrape('user'), 'istio_requests_total', { reporter: 'destination', source_workload: 'front-end' }), 1);
    await mesh.startSidecar('user');
  });

  it('stop is idempotent and closes every server', async () => {
    const front = mesh.frontEndUrl;
    await Promise.all([mesh.stop(), mesh.stop()]);
    await mesh.stop();
    assert.equal(await probe(`${front}/health`), 'ECONNREFUSED');
    assert.equal(await probe(urlOf('front-end')), 'ECONNREFUSED');
  });
});
