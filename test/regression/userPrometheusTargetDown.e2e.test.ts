// Bug: reading a user's Prometheus (record --prometheus-url, import prometheus), a scrape
// target that went down read as zero traffic: Prometheus marks a failed target's series stale,
// so they vanish from the sums, and nothing asked for `up`. When the target returned, its
// series came back with everything counted meanwhile, in one interval (a burst); one target of
// two down gave partial intervals; down at the start, the counters' whole history. Now a read
// (live or imported) at a time when one of the mesh's targets is down is a fault, so a gap,
// and the read after it a gap too: no interval counts the outage's traffic as its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { importPrometheus } from '../../src/import/index.ts';
import { prometheusApiSource, startManagedPrometheus, type ManagedPrometheus } from '../../src/telemetry/index.ts';
import type { TelemetryRead } from '../../src/types.ts';
import { FakeSidecar, type EdgeSpec } from '../telemetry/fakeSidecars.ts';
import { captureLog, makeTempDir, readRunBack, requireBinaryOrSkip } from '../util.ts';

const CATALOGUE: EdgeSpec = { reporter: 'source', src: 'front-end', dst: 'catalogue' };
const USER_DB: EdgeSpec = { reporter: 'source', src: 'user', dst: 'user-db' };
const now = () => Date.now() / 1000;
const has = (read: TelemetryRead, src: string) => read.kind === 'read' && read.samples.some((s) => s.src === src);

/** Read until `done` says so (real Prometheus, real scrapes: polled, every 200 ms). */
async function readUntil(read: () => Promise<TelemetryRead>, done: (r: TelemetryRead) => boolean, what: string, millis = 15_000): Promise<TelemetryRead> {
  const until = Date.now() + millis;
  for (;;) {
    const r = await read();
    if (done(r)) return r;
    assert.ok(Date.now() < until, `timed out waiting for ${what}; last read: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a scrape target of the user’s Prometheus that is down', { timeout: 90_000 }, () => {
  it('makes live reads faults and imported steps gaps, never zero traffic then a burst', async (t) => {
    const binary = requireBinaryOrSkip(t, 'prometheus', 'prometheus');
    if (!binary) return;
    const log = captureLog();
    const tmp = makeTempDir('munnin-down-');
    const frontEnd = await FakeSidecar.start('front-end');
    const user = await FakeSidecar.start('user');
    let server: ManagedPrometheus | undefined;
    try {
      frontEnd.set(CATALOGUE, { requests: 100 });
      user.set(USER_DB, { requests: 200 });
      server = await startManagedPrometheus({ binary, targets: [frontEnd.target, user.target], scrapeIntervalSeconds: 1 });
      const url = server.url;
      // Read as a user's store: through its URL, as record does, not as munnin's own server.
      const source = prometheusApiSource(resolveParameters({ exfiltration: [], telemetry: { prometheus: { url } } }), url);
      const up = await readUntil(() => source.read(now()), (r) => has(r, 'front-end') && has(r, 'user'), 'both targets scraped');
      const before = Math.ceil(up.t); // both targets scraped from here on
      // A few readable steps before the outage, to import.
      await readUntil(() => source.read(now()), (r) => r.t >= before + 3, 'three more seconds');

      // user's target answers 500 while its sidecar counts 50 more requests.
      user.mode = 'http500';
      user.add(USER_DB, { requests: 50 });
      const down = await readUntil(() => source.read(now()), (r) => r.kind === 'fault' || !has(r, 'user'), 'user’s series to vanish');
      assert.equal(down.kind, 'fault', `a read without the down target's series: ${JSON.stringify(down)}`);
      assert.equal(down.kind === 'fault' && down.reason, `last scrape failed for target(s) ${new URL(user.url).host}`);
      await readUntil(() => source.read(now()), (r) => r.t >= down.t + 3, 'a 3-s outage');
      // The probe before a recording only asks whether the store answers: a down target is not a wrong URL.
      assert.equal((await source.probe(now())).kind, 'read');

      user.mode = 'ok';
      const back = await readUntil(() => source.read(now()), (r) => has(r, 'user'), 'user’s target back');
      await readUntil(() => source.read(now()), (r) => r.t >= back.t + 3, 'three readable seconds after it');
      await source.close();

      // The same range imported: the outage is gaps. Every request on user → user-db was made
      // while its target was down, so no readable interval may hold any (without the rule:
      // 0 during the outage, then one interval of 50).
      const end = Math.floor(now()) - 1;
      const run = await importPrometheus({ url, startSeconds: before, endSeconds: end, stepSeconds: 1, metrics: ['requests'], dir: join(tmp.dir, 'imp'), name: 'imp' });
      const snapshots = (await readRunBack(run.dir)).snapshots;
      const gaps = snapshots.filter((s) => s.gap);
      assert.ok(gaps.length >= 2, `${gaps.length} gaps: ${JSON.stringify(snapshots)}`);
      assert.ok(gaps.some((g) => /^last scrape failed for target\(s\) 127\.0\.0\.1:\d+$/.test(g.reason ?? '')), gaps.map((g) => g.reason).join('; '));
      const userDb = snapshots.filter((s) => !s.gap).map((s) => s.edges.find((e) => e.src === 'user' && e.dst === 'user-db')?.values['requests'] ?? 0);
      assert.deepEqual(userDb.filter((v) => v !== 0), []);
      // front-end counted nothing either: zeros, not gaps, outside the outage.
      assert.ok(snapshots.filter((s) => !s.gap).length >= 5, `${snapshots.length} intervals: ${JSON.stringify(snapshots)}`);
    } finally {
      await server?.stop();
      await frontEnd.close();
      await user.close();
      log.restore();
      tmp.remove();
    }
  });
});
