// A tester's benign run (6 Dec): the load doubles for good half-way through (a deploy). The
// charts alarm in the 5 intervals after it and learn it (the project's new-normal rule), but
// pca-subspace, its subspace fitted once on training, alarmed on every interval for 14-70
// intervals, until its limit had climbed 3-10×, and stayed that much less sensitive. Now 5
// alarms in a row are a lasting change and the subspace is fitted again (LastingChange).
// Expectations from the rule itself: at most RELEARN_AFTER_INTERVALS alarms in a row after the
// step, the limit where it stood before it (within 10 %: the learnt exceedances are capped), and
// the realised rate within the suite's bound.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, toArray } from 'rxjs';
import { detectorsSchema } from '../../src/config/schema.ts';
import { createDetectors, runDetectors, vectorize } from '../../src/detectors/index.ts';
import { RELEARN_AFTER_INTERVALS } from '../../src/detectors/stats/index.ts';
import type { Verdict } from '../../src/types.ts';
import { benignRun } from '../detectors/benignRuns.ts';

for (const edges of [60, 200]) {
  for (const seed of [1, 2, 3]) {
    test(`pca-subspace, ${edges} edges, seed ${seed}: a lasting doubling of the load alarms at most ${RELEARN_AFTER_INTERVALS} times in a row and leaves the limit where it was`, () => {
      const snapshots = benignRun({ shape: 'step', edges, intervals: 1000, seed });
      const detectors = createDetectors(detectorsSchema.parse({ enabled: ['pca-subspace'], trainingSeconds: 60 }));
      let verdicts: Verdict[] = [];
      from(snapshots).pipe(vectorize(), runDetectors(detectors), toArray()).subscribe((v) => (verdicts = v));
      const scored = verdicts.filter((v) => !v.training);
      const step = snapshots[500]!.t;
      const after = scored.filter((v) => v.t >= step);
      let run = 0;
      let longest = 0;
      for (const v of after) {
        run = v.alarm ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      assert.ok(longest <= RELEARN_AFTER_INTERVALS, `${longest} alarms in a row after the step`);
      const before = scored.filter((v) => v.t < step).at(-1)!.threshold;
      const later = after[100]!.threshold;
      assert.ok(later <= 1.1 * before, `limit ${before.toFixed(2)} before the step, ${later.toFixed(2)} 100 intervals after`);
      const alarms = scored.filter((v) => v.alarm).length;
      assert.ok(alarms / scored.length <= 0.02, `${alarms} alarms on ${scored.length} benign intervals`);
    });
  }
}
