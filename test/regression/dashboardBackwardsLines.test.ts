import { it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, lastValueFrom } from 'rxjs';
import { startDashboard } from '../../src/dashboard/index.ts';
import { replayRun } from '../../src/replay/index.ts';
import { RunWriter } from '../../src/store/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { get } from '../dashboard/helpers.ts';

// Bug: replay skips a snapshot line whose t does not come after the previous interval's (time
// never runs backwards), but the dashboard counted it as an interval, added its traffic to the
// run's edges and served it as one, so its interval count and edge totals disagreed with the
// replay of the same run.
it('dashboard skips a line whose t does not come after the previous interval, as replay does', async () => {
  const tmp = makeTempDir('munnin-backwards-');
  const log = captureLog();
  const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
  const base = dashboard.url.replace(/\/$/, '');
  try {
    const dir = join(tmp.dir, 'backwards');
    const writer = RunWriter.create(dir, { format: 'munnin-run/1', name: 'backwards', intervalSeconds: 1, metrics: ['request_bytes'] });
    const snap = (t: number, bytes: number) => ({ t, dt: 1, gap: false, edges: [{ src: 'a', dst: 'b', values: { request_bytes: bytes } }] });
    writer.appendSnapshot(snap(1001, 10));
    writer.appendSnapshot(snap(1002, 20));
    writer.finish({ complete: true });
    // Written by another tool: a repeated and an earlier interval, then time goes on.
    appendFileSync(join(dir, 'snapshots.ndjson'), `${JSON.stringify({ t: 1002, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 500 }] })}\n`);
    appendFileSync(join(dir, 'snapshots.ndjson'), `${JSON.stringify({ t: 1000, dt: 1, edges: [{ src: 'a', dst: 'c', request_bytes: 700 }] })}\n`);
    appendFileSync(join(dir, 'snapshots.ndjson'), `${JSON.stringify({ t: 1003, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 30 }] })}\n`);
    const s = await get(`${base}/api/runs/backwards`);
    assert.equal(s.json.intervals, 3);
    assert.equal(await lastValueFrom(replayRun(dir).pipe(count())), 3, 'replay sees the same intervals');
    assert.equal(s.json.invalidLines, 2);
    assert.equal(s.json.durationSeconds, 1003 - 1000);
    assert.deepEqual(
      s.json.edges.map((e: any) => [e.src, e.dst, e.total]),
      [['a', 'b', 10 + 20 + 30]],
    );
    const r = await get(`${base}/api/runs/backwards/snapshots?from=0&count=10`);
    assert.equal(r.json.total, 5);
    assert.deepEqual(
      r.json.intervals.map((x: any) => x.invalid ?? x.t),
      [1001, 1002, "t: 1002 does not come after the previous interval's t (1002)", "t: 1000 does not come after the previous interval's t (1002)", 1003],
    );
  } finally {
    await dashboard.close();
    log.restore();
    tmp.remove();
  }
});
