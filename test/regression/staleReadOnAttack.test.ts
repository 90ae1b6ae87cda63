// Regression (issue 14's hardening, found 7 Dec, fifth session): a stale read on an attack slice
// of Munnin's attack run (a gap, its traffic added to the next slice, as Munnin's converter wrote
// them; see staleReadAfterGap.test.ts), or on the slice before one, cost `path` the attacks whose
// bytes went into the slice after the gap, which no detector judged: with slice 40 stale (the
// attack at 200 s; 205 s lands in slice 41) it caught 3 of the 5 attacks, with 59 (the slice
// before 300 s) 4, with 62 (310 s; 315 s is slice 63) 3. Over every single stale read at slices
// 21-69 it caught 237 of 245. `path` now judges the slice after a gap as the mean of the two
// slices it may hold, learning nothing from it (detectorOperator, DetectorCore.judgeOnly): 245 of
// 245, and no false alarm there or on the benign run (staleReadAfterGap.test.ts).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { sliceTime, withStaleReads } from './staleReads.ts';

const tmp = makeTempDir('munnin-stale-attack-');
after(() => tmp.remove());

test("a stale read on or just before an attack slice of Munnin's attack run: path judges the slice after the gap and still catches all five attacks", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path'], trainingSeconds: 60 } }).detectors;
  for (const k of [40, 59, 62]) {
    const run = await withStaleReads(new URL('../fixtures/munnin-cybermonday-30k/', import.meta.url).pathname, join(tmp.dir, `stale-${k}`), [k]);
    const out = join(tmp.dir, `out-${k}`);
    const log = captureLog();
    const { summary } = await runReplay(run, { outDir: out, detectors });
    log.restore();
    assert.match(log.text('warn'), /^1 interval\(s\) right after a gap, learnt by no detector and judged by path only/m);
    const path = summary.detectors['path']!;
    assert.equal(path.events?.detected, 5, `stale read at slice ${k}: ${path.events?.detected} of 5 attacks caught`);
    assert.equal(path.fp, 0, `stale read at slice ${k}: ${path.fp} false alarms`);
    // The slice after the gap holds an attack's bytes (and a benign slice's): judged, and alarmed.
    const t = sliceTime(run, k + 1);
    const row = readFileSync(join(out, 'scores.csv'), 'utf8').split('\n').find((l) => l.startsWith(`${t},path,`));
    assert.ok(row !== undefined, `slice ${k + 1} in scores.csv`);
    assert.equal(row.split(',')[4], 'true', `slice ${k + 1}: ${row}`);
  }
});
