// Regression (issue 14's hardening, found 7 Dec): Munnin's 2018 runs were converted with a stale
// Prometheus read written as a gap, and "an adjacent slice then usually holds two scrapes' worth
// of traffic" (../shared/data's README; the fixture's run.json says so in its caveats). The two
// shipped runs have no such gap, the 22 others may. Judged, the slice after the gap was a false
// alarm of `path`, `control-chart` and `ewma` every time: one stale read made at each of 15
// places of Munnin's benign run (slices 26-68, every third) gave each of them 15 false alarms in
// 900 benign slices, where the run itself has none. The frame right after a gap is now never
// learnt, and judged only by a detector whose core can judge without learning (`path`), as the
// mean of the two slices it may hold (detectorOperator in src/detectors/detector.ts; what that
// gains on attack slices: staleReadOnAttack.test.ts).

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { sliceTime, withStaleReads } from './staleReads.ts';

const tmp = makeTempDir('munnin-stale-read-');
after(() => tmp.remove());

/** Munnin's benign run with slice k read stale. */
function withStaleRead(k: number): Promise<string> {
  return withStaleReads(new URL('../fixtures/munnin-cybermonday-0k/', import.meta.url).pathname, join(tmp.dir, `stale-${k}`), [k]);
}

test("a stale read on Munnin's benign run (a gap, then a slice holding two): the slice after the gap is judged as a mean by path only, and no false alarm comes of it", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path', 'control-chart', 'ewma'], trainingSeconds: 60 } }).detectors;
  for (const k of [29, 41, 53, 65]) {
    const run = await withStaleRead(k);
    const out = join(tmp.dir, `out-${k}`);
    const log = captureLog();
    const { summary } = await runReplay(run, { outDir: out, detectors });
    log.restore();
    assert.match(log.text('warn'), /^1 interval\(s\) right after a gap, learnt by no detector and judged by path only/m);
    const t = sliceTime(run, k + 1);
    const rows = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const name of ['path', 'control-chart', 'ewma']) {
      const row = rows.find((r) => Math.abs(Number(r[0]) - t) < 1e-6 && r[1] === name);
      assert.ok(row !== undefined, `${name}: the slice after the gap (slice ${k + 1}) is in scores.csv`);
      if (name === 'path') assert.ok(Number.isFinite(Number(row[2])), `path, slice ${k + 1}: judged (${row[2]})`);
      else assert.equal(row[2], 'NaN', `${name}, slice ${k + 1}: not judged`);
      assert.equal(row[4], 'false', `${name}, slice ${k + 1}: no alarm`);
      // Still counted, as run-format.md counts every scored interval but gaps: one benign interval.
      assert.equal(summary.detectors[name]!.fp, 0, `${name}, stale read at slice ${k}: ${summary.detectors[name]!.fp} false alarms`);
    }
    assert.equal(summary.gapIntervals, 1);
  }
});

test("munnin's own recorder's outages (the failed read and the one after it are gaps, the next slice holds its own traffic): judged as a third of it, the slice after them alarms none of path, cusum and graph-lasso", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path', 'cusum', 'graph-lasso'] } }).detectors;
  const source = new URL('../fixtures/default-benign-runs/run1/', import.meta.url).pathname;
  const lines = readFileSync(join(source, 'snapshots.ndjson'), 'utf8').trim().split('\n');
  for (const k of [30, 41, 52, 63]) {
    const run = join(tmp.dir, `outage-${k}`);
    cpSync(source, run, { recursive: true });
    const t = (i: number) => (JSON.parse(lines[i]!) as { t: number }).t;
    const gap = (i: number) => JSON.stringify({ t: t(i), dt: (JSON.parse(lines[i]!) as { dt: number }).dt, gap: true, edges: [] });
    writeFileSync(join(run, 'snapshots.ndjson'), lines.map((l, i) => `${i === k || i === k + 1 ? gap(i) : l}\n`).join(''));
    const out = join(tmp.dir, `outage-out-${k}`);
    const log = captureLog();
    await runReplay(run, { outDir: out, detectors });
    log.restore();
    assert.match(log.text('warn'), /^1 interval\(s\) right after a gap, learnt by no detector and judged by path, cusum, graph-lasso only/m);
    const rows = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const name of ['path', 'cusum', 'graph-lasso']) {
      const row = rows.find((r) => Math.abs(Number(r[0]) - t(k + 2)) < 1e-6 && r[1] === name);
      assert.ok(row !== undefined && Number.isFinite(Number(row[2])), `${name}: slice ${k + 2} judged (${row?.join(',')})`);
      assert.equal(row[4], 'false', `${name}, slice ${k + 2} after an outage: ${row.join(',')}`);
    }
  }
});
