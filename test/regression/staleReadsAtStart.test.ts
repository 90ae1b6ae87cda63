// Regression (issue 14's hardening, found 7 Dec, second session): `path`'s limit on a short run is
// fitted to its first ~20 scores, and those came from hops whose load fits rested on a handful of
// observations. Stale reads early in Munnin's attack run (each a gap, its traffic added to the
// next slice, as Munnin's converter wrote them; see staleReadAfterGap.test.ts) change which
// observations those are, and the first limit moved with them: 2.45 on the run as shipped, 4.97
// with slice 0 stale, 1.20 with slices 0, 3 and 9 stale. With slices 0, 13, 15, 36 and 49 stale
// `path` caught 1 of the 5 attacks; with 0, 3 and 9, a benign slice crossed the low limit. Its
// load residuals are now self-starting (each widened by its fit's own uncertainty, and mapped
// through Student's t while the scale rests on few residuals: LoadResiduals, `selfStarting`).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { withStaleReads } from './staleReads.ts';

const tmp = makeTempDir('munnin-stale-start-');
after(() => tmp.remove());

/** Munnin's attack run with slices `stale` read stale. */
function withStaleReadsAt(stale: readonly number[]): Promise<string> {
  return withStaleReads(new URL('../fixtures/munnin-cybermonday-30k/', import.meta.url).pathname, join(tmp.dir, `stale-${stale.join('-')}`), stale);
}

test("stale reads early in Munnin's attack run: path still catches all five attacks, with at most one false alarm", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path'], trainingSeconds: 60 } }).detectors;
  for (const stale of [[0], [0, 3, 9], [0, 13, 15, 36, 49], [0, 4, 8, 28, 39]]) {
    const log = captureLog();
    const { summary } = await runReplay(await withStaleReadsAt(stale), { outDir: join(tmp.dir, `out-${stale.join('-')}`), detectors });
    log.restore();
    const path = summary.detectors['path']!;
    assert.equal(summary.gapIntervals, stale.length);
    assert.equal(path.events?.detected, 5, `stale reads at ${stale.join(', ')}: ${path.events?.detected} of 5 attacks caught`);
    assert.ok(path.fp <= 1, `stale reads at ${stale.join(', ')}: ${path.fp} false alarms`);
  }
});
