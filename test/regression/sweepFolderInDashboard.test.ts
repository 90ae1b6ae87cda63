import { it } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard } from '../../src/dashboard/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { get } from '../dashboard/helpers.ts';
import { SWEEP, writeFixtureSweep } from '../dashboard/sweepFixture.ts';

// Bug (issue 16): sweeps vanished from the dashboard after recording. Opening the sweep
// folder answered "not a run (no run.json)", and `--data <sweep folder>` listed its runs as
// "not replayed" although each held a replay per variant (replay/k=2/, replay/k=3/).
it('dashboard serves a sweep folder as a sweep, and its runs as replayed, whether it is the data folder or in it', async () => {
  const tmp = makeTempDir('munnin-sweep-dashboard-');
  const log = captureLog();
  try {
    const sweepDir = await writeFixtureSweep(tmp.dir);
    for (const dataDir of [tmp.dir, sweepDir]) {
      const dashboard = await startDashboard({ dataDir, port: 0 });
      const base = dashboard.url.replace(/\/$/, '');
      try {
        const sweep = await get(`${base}/api/sweeps/${SWEEP.name}`);
        assert.equal(sweep.status, 200, `${dataDir}: ${sweep.json?.error}`);
        assert.equal(sweep.json.runs.length, 3);
        const runs = dataDir === sweepDir ? (await get(`${base}/api/runs`)).json.runs : sweep.json.runs.flatMap((r: { run?: unknown }) => (r.run ? [r.run] : []));
        assert.equal(runs.length, 2);
        for (const r of runs) {
          assert.equal(r.replayed, true, r.name);
          assert.deepEqual(r.variants, ['k=2', 'k=3']);
          assert.ok(r.bestDetector, `${r.name}: a best detector`);
        }
      } finally {
        await dashboard.close();
      }
    }
  } finally {
    log.restore();
    tmp.remove();
  }
});
