import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cusum, CusumCore, cusumOptionsSchema } from '../../../src/detectors/cusum/index.ts';
import { loadResidualParameters } from '../../../src/detectors/series/index.ts';
import { alarmLimit } from '../../../src/detectors/stats/index.ts';
import { assertClose } from '../../util.ts';
import { HandResiduals } from '../handResiduals.ts';
import { ATTACK_WINDOWS, injectedAttack } from '../injectedAttack.ts';

test('cusum: S ← max(0, S + z − k) by hand, alarm when S > h, the crossing sum blamed and reset, unscored intervals keep S', () => {
  const N = Number.NaN;
  // Two edges, k = 0.5, h = 4 (a fixed limit).
  //   e0 z: 0.2  1.5  2.0  -0.5  3.0  1.0   1.0
  //   e0 S: 0    1.0  2.5  1.5   4.0  4.5*  0.5   (* > 4: alarm, reset to 0 before the next)
  //   e1 z: 1.0  NaN  0.7  0.1   0.0  0.3   4.0
  //   e1 S: 0.5  0.5  0.7  0.3   0    0     3.5
  const residuals = new HandResiduals(
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
    [
      [0.2, 1.0],
      [1.5, N],
      [2.0, 0.7],
      [-0.5, 0.1],
      [3.0, 0.0],
      [1.0, 0.3],
      [1.0, 4.0],
    ],
  );
  const core = new CusumCore(residuals, { referenceValue: 0.5, winsorizeAt: 100 }, alarmLimit({ k: 4 }, 0.01));
  const judged = [0, 1, 2, 3, 4, 5, 6].map(() => core.judge(residuals.frame()));
  const expected = [0.5, 1.0, 2.5, 1.5, 4.0, 4.5, 3.5];
  judged.forEach((j, i) => {
    assertClose(j.score, expected[i]!, 1e-12, `score ${i}`);
    assert.equal(j.threshold, 4);
  });
  assert.deepEqual(
    judged.map((j) => j.score > j.threshold),
    [false, false, false, false, false, true, false],
  );
  assert.deepEqual(judged[5]!.blamed, [{ src: 'a', dst: 'b', score: 4.5 }]);
  assert.deepEqual(judged[4]!.blamed, []);
  // The alarmed edge does not teach its load fit; the other does.
  assert.deepEqual(residuals.learnt[5], [1]);
  assert.deepEqual(residuals.learnt[4], [0, 1]);
  assertClose(core.sum(0), 0.5, 1e-12, 'e0 after its reset');
});

test('cusum: an interval is judged on its full z, but carries forward at most c − k (winsorised at c)', () => {
  // k = 0.5, c = 4, h = 20: z 10 → judged 9.5, carried 3.5; z 0 → 3.0 (not 9.0); z 0.5 → 3.0.
  const residuals = new HandResiduals([['a', 'b']], [[10], [0], [0.5]]);
  const core = new CusumCore(residuals, { referenceValue: 0.5, winsorizeAt: 4 }, alarmLimit({ k: 20 }, 0.01));
  const scores = [0, 1, 2].map(() => core.judge(residuals.frame()).score);
  scores.forEach((s, i) => assertClose(s, [9.5, 3.0, 3.0][i]!, 1e-12, `score ${i}`));
});

test('cusum, judgeOnly (the interval after a gap): judged on S + z − k by hand, the crossing edge blamed, but no sum carried, reset or learnt', () => {
  // k = 0.5, h = 4. Judged: z 2 → S 1.5. judgeOnly: z 3 → 1.5 + 3 − 0.5 = 4.0 (no alarm), then z 4 → 5.0 (alarm).
  // Had either been carried, the next (z 1) would not score 1.5 + 1 − 0.5 = 2.0.
  const residuals = new HandResiduals([['a', 'b']], [[2], [3], [4], [1]]);
  const learnt: number[] = [];
  const core = new CusumCore(residuals, { referenceValue: 0.5, winsorizeAt: 100 }, { limit: () => 4, learn: (s) => void learnt.push(s) });
  assertClose(core.judge(residuals.frame()).score, 1.5, 1e-12, 'judged');
  const quiet = core.judgeOnly(residuals.frame());
  assertClose(quiet.score, 4.0, 1e-12, 'judgeOnly, under h');
  assert.deepEqual(quiet.blamed, []);
  const loud = core.judgeOnly(residuals.frame());
  assertClose(loud.score, 5.0, 1e-12, 'judgeOnly, over h');
  assert.deepEqual(loud.blamed, [{ src: 'a', dst: 'b', score: 5 }]);
  assertClose(core.sum(0), 1.5, 1e-12, 'the sum carried is the judged interval\'s, not reset');
  assert.deepEqual([residuals.learnt[1], residuals.learnt[2]], [[], []], 'no fit learnt');
  assertClose(core.judge(residuals.frame()).score, 2.0, 1e-12, 'the next judged interval');
  assert.deepEqual(learnt, [1.5, 2.0], 'the limit learnt the judged intervals only');
});

test('cusum: a small exfiltration injected along user-db → user → front-end → external is caught within each window and blamed on its edges', () => {
  const { attackVerdicts } = injectedAttack(cusum(), 12_000);
  // Per window of five intervals, at least one alarm (the sums need a few intervals to cross).
  const byWindow = ATTACK_WINDOWS.map((_, i) => attackVerdicts.slice(5 * i, 5 * i + 5));
  byWindow.forEach((w, i) => assert.ok(w.some((v) => v.alarm), `window ${i + 1}: no alarm (scores ${w.map((v) => v.score.toFixed(1)).join(', ')})`));
  const onPath = new Set(['user>user-db', 'front-end>user', 'external>front-end']);
  for (const v of attackVerdicts.filter((x) => x.alarm)) {
    assert.ok(onPath.has(`${v.blamed[0]!.src}>${v.blamed[0]!.dst}`), `first blamed ${JSON.stringify(v.blamed[0])}`);
  }
});

test("cusum: a floor of one request's bytes under each edge's residual scale is its default, and the shared load residuals' default is none", () => {
  assert.equal(cusumOptionsSchema.parse({}).demandUnitFloor, 1);
  assert.equal(loadResidualParameters({}).demandUnitFloor, 0);
});
