import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { importPrometheus } from '../../src/import/index.ts';
import { startEmbeddedMesh } from '../../src/mesh/index.ts';
import { recordMesh } from '../../src/record/index.ts';
import { startManagedPrometheus, type ManagedPrometheus } from '../../src/telemetry/index.ts';
import { createBuiltinTraffic } from '../../src/traffic/index.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';
import { captureLog, makeTempDir, readRunBack, requireBinaryOrSkip } from '../util.ts';

// One real Prometheus scraping the embedded mesh every second. `npm run record` (its module)
// records it live for 50 s while the built-in users browse, one `egress` exfiltration runs and
// the front-end's sidecar restarts (its counters reset); then the same range is imported from
// that Prometheus's TSDB with range queries, once in one chunk and once in many.
//
// Ground truth that is not munnin's: the traffic generator's own request count. Every user
// request reaches the front-end from outside the mesh (external → front-end, reported by the
// restarted sidecar), inside the quiet stretches that frame the traffic, so the imported total
// must be at most what was sent, and at least that minus failures minus one interval (a reset
// loses what the sidecar counted since its last scrape). A reset read as a negative delta, or
// as the whole counter again, breaks these bounds.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const value = (s: Snapshot, src: string, dst: string, metric: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0;
const total = (run: readonly Snapshot[], src: string, dst: string, metric: string) => run.reduce((acc, s) => acc + value(s, src, dst, metric), 0);
const largest = (run: readonly Snapshot[], src: string, dst: string, metric: string) => Math.max(0, ...run.map((s) => value(s, src, dst, metric)));
const edgesOf = (run: readonly Snapshot[]) => [...new Set(run.flatMap((s) => s.edges.map((e) => `${e.src}>${e.dst}`)))].sort();
const METRICS = ['requests', 'request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes', 'tcp_connections'];

describe('record an existing mesh, then import the same range from its Prometheus', { timeout: 240_000 }, () => {
  it('agree per edge, survive a counter reset, chunk without changing a thing, and gap where the store has nothing', async (t) => {
    const binary = requireBinaryOrSkip(t, 'prometheus', 'prometheus');
    if (!binary) return;
    const tmp = makeTempDir('munnin-record-');
    const log = captureLog();
    const mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 100, catalogueItems: 40 });
    let managed: ManagedPrometheus | undefined;
    try {
      managed = await startManagedPrometheus({ binary, targets: mesh.scrapeTargets, scrapeIntervalSeconds: 1 });
      await sleep(2500); // the first scrape lands a few seconds after /-/ready
      const params = resolveParameters({
        outputDir: tmp.dir,
        durationSeconds: 50,
        intervalSeconds: 1,
        exfiltration: [],
        telemetry: { prometheus: { url: managed.url } },
        detectors: { trainingSeconds: 10 },
      });
      const verdicts: Verdict[] = [];
      const recording = recordMesh(params, 'live', { namespace: 'sock-shop', progress: false, onVerdict: (v) => verdicts.push(v) });

      await sleep(4000);
      const traffic = createBuiltinTraffic({ frontEndUrl: mesh.frontEndUrl, traffic: { ...params.traffic, users: 6, shape: 'constant', thinkTimeScale: 0.25 }, durationSeconds: 36 });
      await traffic.start();
      await sleep(12_000);
      const exfiltrated = await mesh.egress('user', 200_000);
      await sleep(8000);
      await mesh.restartWorkload('front-end');
      await sleep(14_000);
      const stats = await traffic.stop();
      const recorded = await recording;

      assert.equal(recorded.complete, true);
      const live = await readRunBack(recorded.dir);
      assert.equal(live.manifest.complete, true);
      assert.deepEqual((live.manifest['target'] as { kind: string }).kind, 'existing-mesh');
      assert.equal(live.snapshots.length, 50);
      assert.deepEqual(live.snapshots.filter((s) => s.gap).map((s) => s.reason), []);
      // The live detectors ran: new-edge saw the exfiltration's new destination.
      assert.ok(verdicts.some((v) => v.detector === 'new-edge' && v.alarm && v.blamed.some((b) => b.src === 'user' && b.dst === 'external')), 'new-edge alarm on user → external');

      // The same evaluation times, from the TSDB: first read (the seed) to the last interval.
      const first = live.snapshots[0]!;
      const last = live.snapshots[live.snapshots.length - 1]!;
      const range = { url: managed.url, startSeconds: first.t - first.dt, endSeconds: last.t, stepSeconds: 1, namespace: 'sock-shop', metrics: METRICS };
      const single = await importPrometheus({ ...range, dir: join(tmp.dir, 'single'), name: 'single' });
      let chunks = 0;
      const chunked = await importPrometheus({ ...range, pointsPerQuery: 7, dir: join(tmp.dir, 'chunked'), name: 'chunked', onProgress: () => (chunks += 1) });
      const one = (await readRunBack(single.dir)).snapshots;
      const many = (await readRunBack(chunked.dir)).snapshots;

      // Many chunks (51 points, 7 per query) give exactly the single query's run.
      assert.equal(chunks, 8);
      assert.deepEqual(many, one);
      // Evaluated on the live grid: the same interval ends, and no gap where the store had data.
      assert.deepEqual(one.map((s) => s.t), live.snapshots.map((s) => s.t));
      assert.deepEqual(one.filter((s) => s.gap).map((s) => s.reason), []);
      assert.deepEqual(edgesOf(one), edgesOf(live.snapshots));
      assert.ok(edgesOf(one).includes('external>front-end') && edgesOf(one).includes('user>external'), edgesOf(one).join(', '));

      // The namespace is a label matcher: another namespace's import has no series, so no interval.
      const elsewhere = await importPrometheus({ ...range, namespace: 'elsewhere', dir: join(tmp.dir, 'elsewhere'), name: 'elsewhere' });
      assert.deepEqual([elsewhere.intervals, elsewhere.services], [0, []]);

      // Per edge and metric, the two runs agree within one interval's traffic.
      for (const edge of edgesOf(live.snapshots)) {
        const [src, dst] = edge.split('>') as [string, string];
        for (const metric of METRICS) {
          const slack = Math.max(largest(live.snapshots, src, dst, metric), largest(one, src, dst, metric));
          const [a, b] = [total(live.snapshots, src, dst, metric), total(one, src, dst, metric)];
          assert.ok(Math.abs(a - b) <= slack, `${edge} ${metric}: recorded ${a}, imported ${b}, one interval up to ${slack}`);
        }
      }

      // The reset: never negative, never the counter's history counted again.
      for (const s of one) for (const e of s.edges) for (const v of Object.values(e.values)) assert.ok(v >= 0, `negative at t=${s.t}`);
      const requests = total(one, 'external', 'front-end', 'requests');
      assert.ok(stats.requests > 100, `the users made ${stats.requests} requests`);
      assert.ok(requests <= stats.requests, `imported ${requests} requests to the front-end, but only ${stats.requests} were sent`);
      const lowest = stats.requests - stats.failures - largest(one, 'external', 'front-end', 'requests');
      assert.ok(requests >= lowest, `imported ${requests} requests, fewer than the ${lowest} sent, less failures and one interval`);
      // The exfiltration's bytes are there, on the edge out of the mesh.
      const out = total(one, 'user', 'external', 'request_bytes') + total(one, 'user', 'external', 'tcp_received_bytes');
      assert.ok(out >= exfiltrated.bytes, `user → external carried ${out} bytes, the sink got ${exfiltrated.bytes}`);

      // Gaps: with every sidecar unreachable, Prometheus marks the series stale; those steps
      // (and the one after, whose delta spans the outage) are gaps in an import, never zeros.
      const outageStart = Date.now() / 1000;
      for (const w of mesh.services) await mesh.stopSidecar(w);
      await sleep(6000);
      for (const w of mesh.services) await mesh.startSidecar(w);
      const outageEnd = Date.now() / 1000;
      await sleep(5000);
      const withOutage = await importPrometheus({ ...range, endSeconds: Math.floor(Date.now() / 1000) - 2, dir: join(tmp.dir, 'outage'), name: 'outage' });
      const after = (await readRunBack(withOutage.dir)).snapshots;
      const gaps = after.filter((s) => s.gap);
      assert.ok(gaps.length >= 3, `${gaps.length} gaps for a 6 s outage`);
      for (const g of gaps) assert.ok(g.t > outageStart && g.t < outageEnd + 3, `gap at ${g.t}, outside the outage ${outageStart}–${outageEnd}`);
      assert.deepEqual(after.slice(0, one.length), one);
    } finally {
      await managed?.stop();
      await mesh.stop();
      log.restore();
      tmp.remove();
    }
  });
});
