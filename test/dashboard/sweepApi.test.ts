import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, readNdjson as readLines } from '../util.ts';
import { FIXTURE_RUNS, get, servedDashboard } from './helpers.ts';
import { SWEEP, writeFixtureSweep } from './sweepFixture.ts';

// The sweep endpoints and the replay variants of a sweep's runs, over HTTP. Expected values
// come from the files the real replay wrote.


describe('dashboard sweep API', { timeout: 120_000 }, () => {
  let sweepDir: string;
  const served = servedDashboard('munnin-dashboard-sweep-api-', async (dataDir: string) => {
    cpSync(join(FIXTURE_RUNS, 'cybermonday'), join(dataDir, 'cybermonday'), { recursive: true });
    sweepDir = await writeFixtureSweep(dataDir);
  });

  it('lists the sweep folders of the data folder, not as runs', async () => {
    const runs = await get(`${served.base}/api/runs`);
    assert.deepEqual(runs.json.runs.map((r: { name: string }) => r.name), ['cybermonday']);
    assert.deepEqual(runs.json.runs[0].variants, ['']);
    const r = await get(`${served.base}/api/sweeps`);
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.sweeps.map((s: { name: string; self: boolean; progress: unknown; compared: boolean }) => [s.name, s.self, s.progress, s.compared]),
      [[SWEEP.name, false, { planned: 3, complete: 2, pending: 1 }, true]],
    );
  });

  it('serves a sweep: sweep.json, its runs with their replays, the comparison and F1 charts', async () => {
    const r = await get(`${served.base}/api/sweeps/${SWEEP.name}`);
    assert.equal(r.status, 200);
    const index = readJson(sweepDir, 'sweep.json');
    assert.deepEqual(r.json.axes, index.axes);
    assert.deepEqual(
      r.json.runs.map((x: { name: string; status: string; run?: { variants: string[]; replayed: boolean } }) => [x.name, x.status, x.run?.variants ?? null, x.run?.replayed ?? null]),
      [
        [SWEEP.runs[0], 'complete', ['k=2', 'k=3'], true],
        [SWEEP.runs[1], 'complete', ['k=2', 'k=3'], true],
        [SWEEP.pending, 'pending', null, null],
      ],
    );
    const comparison = readJson(sweepDir, 'comparison.json');
    assert.deepEqual(r.json.comparison.rows, comparison.rows);
    assert.deepEqual(
      r.json.comparison.charts.map((c: { file: string; config: { options: { scales: { x: { type: string } } } } }) => [c.file, c.config.options.scales.x.type]),
      [
        ['f1-vs-bytes_k=2.png', 'logarithmic'],
        ['f1-vs-bytes_k=3.png', 'logarithmic'],
      ],
    );
  });

  it("serves a sweep run like a run, each replay by ?variant=, the first by default", async () => {
    const run = encodeURIComponent(SWEEP.runs[1]);
    const path = `${served.base}/api/sweeps/${SWEEP.name}/runs/${run}`;
    const plain = await get(path);
    assert.equal(plain.status, 200);
    assert.equal(plain.json.variant, 'k=2');
    assert.deepEqual(plain.json.variants, ['k=2', 'k=3']);
    for (const k of SWEEP.k) {
      const summary = readJson(sweepDir, SWEEP.runs[1], 'replay', `k=${k}`, 'summary.json');
      const r = await get(`${path}?variant=k%3D${k}`);
      assert.equal(r.json.variant, `k=${k}`);
      assert.deepEqual(r.json.replay.detectors.ewma.tp, summary.detectors.ewma.tp);
      const alerts = await get(`${path}/alerts?variant=k%3D${k}`);
      assert.deepEqual(
        alerts.json.alerts.map((a: { t: number; detector: string }) => [a.t, a.detector]),
        readLines(sweepDir, SWEEP.runs[1], 'replay', `k=${k}`, 'alerts.ndjson').map((a: { t: number; detector: string }) => [a.t, a.detector]),
      );
      const report = await get(`${path}/report?variant=k%3D${k}`);
      assert.equal(report.status, 200);
      assert.ok(report.json.charts.some((c: { section: string }) => c.section === 'scores'));
    }
    const snapshots = await get(`${path}/snapshots?from=0&count=5`);
    assert.equal(snapshots.json.intervals.length, 5);
  });

  it('refuses unknown sweeps and variants, and names that would leave their folder', async () => {
    assert.equal((await get(`${served.base}/api/sweeps/nope`)).status, 404);
    assert.match((await get(`${served.base}/api/sweeps/cybermonday`)).json.error, /no sweep named "cybermonday"/);
    assert.equal((await get(`${served.base}/api/sweeps/..%2F..%2Fetc`)).status, 400);
    assert.equal((await get(`${served.base}/api/sweeps/${SWEEP.name}/runs/${encodeURIComponent(SWEEP.pending)}`)).status, 404);
    const path = `${served.base}/api/sweeps/${SWEEP.name}/runs/${encodeURIComponent(SWEEP.runs[0])}`;
    const unknown = await get(`${path}?variant=k%3D7`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.error, /has no replay "k=7" \(it has: k=2, k=3\)/);
    assert.equal((await get(`${path}/alerts?variant=..%2F..%2Fsweep.json`)).status, 404);
    assert.equal((await get(`${served.base}/api/sweeps/${SWEEP.name}/other`)).status, 404);
  });

  it('lists a broken sweep.json with its problem and answers 422 for its page', async () => {
    const broken = join(served.dir, 'broken-sweep');
    cpSync(join(FIXTURE_RUNS, 'cybermonday'), join(broken, 'r1'), { recursive: true });
    writeFileSync(join(broken, 'sweep.json'), '{"format": "munnin-sweep/1"}');
    const list = await get(`${served.base}/api/sweeps`);
    const entry = list.json.sweeps.find((s: { name: string }) => s.name === 'broken-sweep');
    assert.match(entry.problem, /sweep\.json: not a valid munnin-sweep\/1 index/);
    const page = await get(`${served.base}/api/sweeps/broken-sweep`);
    assert.equal(page.status, 422);
    assert.doesNotMatch(page.json.error, new RegExp(served.dir));
  });
});
