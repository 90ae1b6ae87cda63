// The telemetry sources against the real embedded mesh (src/mesh): its sidecars' Istio
// metrics read directly and through a managed Prometheus.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SOCK_SHOP_EDGES, startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { createPrometheusSource, createScrapeSource, startManagedPrometheus } from '../../src/telemetry/index.ts';
import type { TelemetryRead, TelemetrySource } from '../../src/types.ts';
import { captureLog, requireBinaryOrSkip, samplesOf, totals } from '../util.ts';

const HTTP_METRICS = ['requests', 'request_bytes', 'response_bytes'];
const ALLOWED_EDGES = new Set([...SOCK_SHOP_EDGES.map((e) => `${e.src}>${e.dst}`), 'external>front-end']);

/** Totals per "metric src>dst" of a read that must not be a fault. */
const readTotals = (read: TelemetryRead) => totals(samplesOf(read));

/** Read both until they agree (in-flight requests settle), at most ~5 s; the last pair. */
async function settled(a: TelemetrySource, b: TelemetrySource): Promise<[Record<string, number>, Record<string, number>]> {
  let pair: [Record<string, number>, Record<string, number>] = [{}, {}];
  for (let i = 0; i < 25; i++) {
    pair = [readTotals(await a.read(Date.now() / 1000)), readTotals(await b.read(Date.now() / 1000))];
    if (JSON.stringify(Object.entries(pair[0]).sort()) === JSON.stringify(Object.entries(pair[1]).sort())) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return pair;
}

describe('telemetry from the embedded mesh', () => {
  let mesh: EmbeddedMesh;
  const REQUESTS = 6;

  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 10, catalogueItems: 8 });
    // A visitor outside the mesh: front-end is called by a caller without a sidecar.
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${mesh.frontEndUrl}/catalogue`);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
  });
  after(() => mesh.stop());

  it('reads every sidecar directly: edges on the topology, each counted once', async () => {
    const bySource = createScrapeSource({ targets: mesh.scrapeTargets, metrics: HTTP_METRICS });
    const byDestination = createScrapeSource({ targets: mesh.scrapeTargets, metrics: HTTP_METRICS, reporter: 'destination' });
    const [source, destination] = await settled(bySource, byDestination);
    // Each request is reported by both proxies of an internal edge; the rule takes one of them.
    assert.deepEqual(source, destination);
    assert.equal(source['requests external>front-end'], REQUESTS);
    assert.ok((source['requests front-end>catalogue'] ?? 0) >= REQUESTS);
    for (const key of Object.keys(source)) assert.ok(ALLOWED_EDGES.has(key.split(' ')[1]!), `edge off the topology: ${key}`);
  });

  it('makes a read a fault while one sidecar endpoint is down, and reads again when it is back', async () => {
    const log = captureLog();
    try {
      const source = createScrapeSource({ targets: mesh.scrapeTargets });
      assert.equal((await source.read(1)).kind, 'read');
      await mesh.stopSidecar('catalogue');
      let down: TelemetryRead;
      try {
        down = await source.read(2);
      } finally {
        await mesh.startSidecar('catalogue');
      }
      assert.equal(down.kind, 'fault');
      assert.match(down.kind === 'fault' ? down.reason : '', /^1 of 14 sidecars unreadable: sidecar catalogue \(http:\/\/127\.0\.0\.1:\d+\/.*\): connection refused$/);
      assert.equal((await source.read(3)).kind, 'read');
      assert.equal(log.messages.filter((m) => m.level === 'warn').length, 1);
    } finally {
      log.restore();
    }
  });

  it('reads the same counters through a managed Prometheus as directly', async (t) => {
    if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
    const managed = await startManagedPrometheus({ targets: mesh.scrapeTargets, scrapeIntervalSeconds: 1 });
    const viaPrometheus = createPrometheusSource({ managed });
    try {
      const direct = createScrapeSource({ targets: mesh.scrapeTargets });
      const response = await fetch(`${mesh.frontEndUrl}/catalogue`);
      await response.arrayBuffer();
      const [scraped, queried] = await settled(direct, viaPrometheus);
      assert.deepEqual(queried, scraped);
      assert.equal(queried['requests external>front-end'], REQUESTS + 1);
    } finally {
      await viaPrometheus.close();
    }
  });
});
