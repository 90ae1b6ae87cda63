import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCsv } from '../../src/import/index.ts';
import { exportRun } from '../../src/report/index.ts';
import { captureLog, makeTempDir, readRunBack } from '../util.ts';

// Bug: `import csv` without intervals.csv refused legal files. (1) Real jitter: every t was
// checked against t0 + k·interval to 1 ms, so the error added up: Munnin's 2018 run (steps
// 5.002-5.005 s) exported and imported without intervals.csv was refused with 70 problems.
// (2) Quiet runs: export writes no row for a silent interval, so the most common step (taken
// as the interval) can be two intervals: t = 1000, 1020, 1030, ... was read as a 20-s run and
// 4 of its rows refused. Now the interval is the shortest step every step is a whole number of
// (to 1% of it), and each t is checked from the t before it.

describe('import csv without intervals.csv: jitter and silent intervals', () => {
  it("Munnin's jittered 2018 run imports with the fixture's t", async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const original = join(tmp.dir, 'original');
      cpSync('test/fixtures/munnin-cybermonday-30k', original, { recursive: true });
      await exportRun({ runDir: original });
      rmSync(join(original, 'export', 'intervals.csv'));
      const notes: string[] = [];
      const result = await importCsv({ trafficFile: join(original, 'export', 'traffic.csv'), dir: join(tmp.dir, 'imported'), name: 'imported', note: (m) => notes.push(m) });
      const orig = await readRunBack(original);
      const back = await readRunBack(result.dir);
      // The fixture's steps between two t (ms), read off snapshots.ndjson: 5.002 to 5.005 s.
      const steps = new Set(orig.snapshots.slice(1).map((s, i) => Math.round((s.t - orig.snapshots[i]!.t) * 1000)));
      assert.deepEqual([...steps].sort(), [5002, 5004, 5005]);
      // Every interval of the fixture has rows, so none is silent: the same t, one by one.
      assert.deepEqual(back.snapshots.map((s) => s.t), orig.snapshots.map((s) => s.t));
      // traffic.csv carries no dt: each is the shortest step, 5.002 s (the fixture's dt is 5, a
      // recorder's nominal interval that its t do not show), so that no interval (t − dt, t]
      // reaches into the one before it: with the longest, 5.005 s, up to 3 ms did, and an
      // attack ending on a boundary (as the fixture's do) made two attack intervals.
      assert.deepEqual(new Set(back.snapshots.map((s) => s.dt)), new Set([5.002]));
      assert.equal(back.manifest.intervalSeconds, 5.002);
      back.snapshots.slice(1).forEach((s, i) => assert.ok(Math.round((s.t - s.dt) * 1000) >= Math.round(back.snapshots[i]!.t * 1000), `interval ending ${s.t} overlaps the one before`));
      assert.ok(notes.some((n) => n.startsWith('interval: 5.002 s, the shortest step')), notes.join('\n'));
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('a quiet run whose most common step is two intervals imports on its real interval', async () => {
    const tmp = makeTempDir();
    try {
      // Steps 20, 10, 20, 20, 20, 10: 20 is the most common, but not every step is a whole
      // number of it; 10 is, and 1010, 1040, 1060, 1080 were silent.
      const file = join(tmp.dir, 'traffic.csv');
      writeFileSync(file, `t,src,dst,metric,value\n${[1000, 1020, 1030, 1050, 1070, 1090, 1100].map((t) => `${t},a,b,requests,1\n`).join('')}`);
      const notes: string[] = [];
      const result = await importCsv({ trafficFile: file, dir: join(tmp.dir, 'run'), name: 'run', note: (m) => notes.push(m) });
      const back = await readRunBack(result.dir);
      assert.equal(back.manifest.intervalSeconds, 10);
      assert.deepEqual(
        back.snapshots.map((s) => [s.t, s.dt, s.edges.length]),
        [[1000, 10, 1], [1010, 10, 0], [1020, 10, 1], [1030, 10, 1], [1040, 10, 0], [1050, 10, 1], [1060, 10, 0], [1070, 10, 1], [1080, 10, 0], [1090, 10, 1], [1100, 10, 1]],
      );
      assert.match(notes.join('\n'), /4 intervals without rows were taken as silent/);
    } finally {
      tmp.remove();
    }
  });
});
