// Bug: new-edge's threshold was the rule "any new edge alarms" everywhere, so on a converted
// connection log (a third of each minute's host pairs never seen before) it alarmed on every
// interval: a realised false-alarm rate of 1.0 for a promised 0.01.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEdge } from '../../src/detectors/index.ts';
import { judgeSnapshots } from '../util.ts';
import { connectionLogRun } from '../detectors/connectionLogRun.ts';

test('new-edge on benign connection logs keeps the false-alarm promise, and still catches a fast network sweep', () => {
  for (const [seed, training] of [[1, 60], [2, 1440 * 60]] as const) {
    const intervals = 3000;
    const scansAt = [2000, 2400, 2800];
    const { snapshots, scanners } = connectionLogRun({ intervals, hosts: 2000, seed, scansAt, scanTargets: 80 });
    const v = judgeSnapshots(snapshots, newEdge({}, { trainingSeconds: training }));
    const scored = v.filter((x, i) => !x.training && !scansAt.includes(i));
    const rate = scored.filter((x) => x.alarm).length / scored.length;
    assert.ok(rate <= 0.02, `seed ${seed}, training ${training} s: realised false-alarm rate ${rate}`);
    for (const [k, at] of scansAt.entries()) {
      assert.equal(v[at]!.alarm, true, `sweep ${k} at interval ${at}: score ${v[at]!.score}, threshold ${v[at]!.threshold}`);
      assert.equal(v[at]!.blamed[0]!.src, scanners[k]);
    }
  }
});
