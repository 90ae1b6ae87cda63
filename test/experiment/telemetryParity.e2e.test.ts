import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lastValueFrom, toArray, takeUntil, timer } from 'rxjs';
import { resolveParameters } from '../../src/config/index.ts';
import { differentiate } from '../../src/matrix/index.ts';
import { startEmbeddedMesh } from '../../src/mesh/index.ts';
import { createPrometheusSource, createScrapeSource, pollTelemetry, startManagedPrometheus } from '../../src/telemetry/index.ts';
import { createLocustTraffic } from '../../src/traffic/index.ts';
import type { Snapshot, TelemetrySource } from '../../src/types.ts';
import { captureLog, makeTempDir, requireBinaryOrSkip } from '../util.ts';

// One short experiment recorded at once through a direct scrape of the sidecars and through a
// real Prometheus scraping the same sidecars, with real Locust as the traffic and the
// front-end's sidecar restarted (counters reset) in the middle.
//
// Quiet stretches before and after the traffic make both recordings cover all of it (the
// Prometheus one trails by its evaluation delay, 1.25 s), so per-edge totals must agree within
// 1 % (slack for a request straddling a recording's edge).
//
// Except on the restarted sidecar's series: a counter reset erases whatever the sidecar counted
// since it was last observed, and each source observes it at its own moments, so each loses
// up to one interval of that sidecar's traffic (as any counter-based telemetry does). There the
// bound is one interval's traffic, and Locust's own request count is the independent ground
// truth: the front-end saw at most what Locust sent and at least that minus one interval. A
// reset misread as a negative delta, or as a whole history of new traffic, breaks the bound.
const TOLERANCE = 0.01;
const RESTARTED = 'front-end';
/** Series reported by the restarted workload's sidecar: its outbound calls and its callers without a sidecar. */
const onRestartedSidecar = (src: string, dst: string) => src === RESTARTED || (src === 'external' && dst === RESTARTED);
const maxInterval = (snapshots: Snapshot[], src: string, dst: string, metric: string) =>
  Math.max(0, ...snapshots.map((s) => s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0));
const sum = (snapshots: Snapshot[], src: string, dst: string, metric: string) =>
  snapshots.reduce((acc, s) => acc + (s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0), 0);

describe('telemetry parity: direct scrape and Prometheus on one experiment', { timeout: 120_000 }, () => {
  it('records the same edges and byte totals, through a workload restart, with real Locust', async (t) => {
    const prometheus = requireBinaryOrSkip(t, 'prometheus', 'prometheus');
    const locust = requireBinaryOrSkip(t, 'locust', 'python3-locust');
    if (!prometheus || !locust) return;
    const tmp = makeTempDir('munnin-parity-');
    const log = captureLog();
    const params = resolveParameters({ traffic: { generator: 'locust', users: 6, shape: 'constant', thinkTimeScale: 0.25 } });
    const mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 100, catalogueItems: 40 });
    const sources: TelemetrySource[] = [];
    try {
      const scrape = createScrapeSource({ targets: mesh.scrapeTargets });
      sources.push(scrape);
      const managed = await startManagedPrometheus({ binary: prometheus, targets: mesh.scrapeTargets, scrapeIntervalSeconds: 1 });
      const viaPrometheus = createPrometheusSource({ managed });
      sources.push(viaPrometheus);

      const quietSeconds = 4;
      const trafficSeconds = 14;
      const recordSeconds = quietSeconds + trafficSeconds + quietSeconds + 2;
      const record = (source: TelemetrySource) =>
        lastValueFrom(pollTelemetry(source, { intervalSeconds: 1 }).pipe(takeUntil(timer(recordSeconds * 1000)), differentiate(), toArray()));
      const recordings = Promise.all([record(scrape), record(viaPrometheus)]);

      await new Promise((r) => setTimeout(r, quietSeconds * 1000));
      const traffic = createLocustTraffic({ frontEndUrl: mesh.frontEndUrl, traffic: params.traffic, durationSeconds: trafficSeconds, statsFile: join(tmp.dir, 'locust.json') });
      await traffic.start();
      await new Promise((r) => setTimeout(r, (trafficSeconds / 2) * 1000));
      await mesh.restartWorkload(RESTARTED);
      await new Promise((r) => setTimeout(r, (trafficSeconds / 2) * 1000));
      const stats = await traffic.stop();
      const [direct, prom] = await recordings;

      assert.ok(stats.requests > 50, `Locust made ${stats.requests} requests`);
      for (const [name, rec] of [['scrape', direct], ['prometheus', prom]] as const) {
        assert.ok(rec.length >= recordSeconds - 3, `${name}: ${rec.length} intervals`);
        assert.deepEqual(rec.filter((s) => s.gap).map((s) => s.reason), [], `${name}: gaps`);
        for (const s of rec) for (const e of s.edges) for (const v of Object.values(e.values)) assert.ok(v >= 0, `${name}: negative delta`);
      }
      const edges = (rec: Snapshot[]) => [...new Set(rec.flatMap((s) => s.edges.map((e) => `${e.src}→${e.dst}`)))].sort();
      assert.deepEqual(edges(prom), edges(direct));
      assert.ok(edges(direct).includes('external→front-end') && edges(direct).length >= 10, edges(direct).join(', '));

      for (const edge of edges(direct)) {
        const [src, dst] = edge.split('→') as [string, string];
        for (const metric of ['requests', 'request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes']) {
          const a = sum(direct, src, dst, metric);
          const b = sum(prom, src, dst, metric);
          const allowed = onRestartedSidecar(src, dst)
            ? Math.max(maxInterval(direct, src, dst, metric), maxInterval(prom, src, dst, metric))
            : TOLERANCE * Math.max(a, b);
          assert.ok(Math.abs(a - b) <= allowed, `${edge} ${metric}: scrape ${a}, Prometheus ${b} (allowed difference ${allowed})`);
        }
      }
      // Locust counts every request it sent, failed ones included; all enter through the front-end.
      for (const [name, rec] of [['scrape', direct], ['prometheus', prom]] as const) {
        const seen = sum(rec, 'external', RESTARTED, 'requests');
        const oneInterval = maxInterval(rec, 'external', RESTARTED, 'requests');
        assert.ok(seen <= stats.requests && seen >= stats.requests - oneInterval, `${name}: ${seen} requests seen, Locust sent ${stats.requests} (one interval: ${oneInterval})`);
      }
      assert.equal(log.text('error'), '');
    } finally {
      log.restore();
      for (const s of sources.reverse()) await s.close();
      await mesh.stop();
      tmp.remove();
    }
  });
});
