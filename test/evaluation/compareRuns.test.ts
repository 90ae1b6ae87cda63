import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, formatRunsComparison, relativeScore, runFigures, runsComparisonCsv, smallestCaught, type ReplayedRun } from '../../src/evaluation/index.ts';
import type { DetectorSummary, ReplaySummary } from '../../src/evaluation/index.ts';

/**
 * A hand-made replayed run for one detector `d`: `intervals` as [score, threshold, attack bytes
 * (0: benign)]; alarms where score > threshold; attacks as [bytes, caught].
 */
function handRun(run: string, intervals: readonly (readonly [number, number, number])[], attacks: readonly (readonly [number, boolean])[]): ReplayedRun {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const [s, th, bytes] of intervals) {
    const alarm = s > th;
    if (bytes > 0) alarm ? tp++ : fn++;
    else alarm ? fp++ : tn++;
  }
  const d: DetectorSummary = {
    tp, fp, tn, fn, tpr: null, fpr: null, fnr: null, precision: null, f1: null, auc: null,
    events: { detected: attacks.filter((a) => a[1]).length, total: attacks.length, meanDelaySeconds: null, outcomes: attacks.map(([, caught], attack) => ({ attack, scored: true, detected: caught, delaySeconds: caught ? 5 : null })) },
    blame: { alarms: 0, onPath: 0 },
    operatingPoints: [],
  };
  const summary: ReplaySummary = {
    run, intervals: intervals.length, scoredIntervals: intervals.length, attackIntervals: tp + fn, graceIntervals: 0, gapIntervals: 0, trainingIntervals: 0,
    attacks: attacks.map(([bytes], i) => ({ kind: 'exfiltration', start: i * 10, end: i * 10 + 5, bytes })),
    detectors: { d },
  };
  const scored = new Map([['d', {
    scores: Float64Array.from(intervals, ([s]) => s),
    relative: Float64Array.from(intervals, ([s, th]) => relativeScore(s, th)),
    labels: Uint8Array.from(intervals, ([, , b]) => (b > 0 ? 1 : 0)),
    attackBytes: Float64Array.from(intervals, ([, , b]) => b),
  }]]);
  return { run, summary, scored };
}

function closeTo(actual: readonly number[], expected: readonly number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-12, `${actual} against ${expected}`));
}

describe('relativeScore', () => {
  it('puts every threshold at 1: score ÷ a positive threshold, 1 + score − a threshold ≤ 0, NaN without one', () => {
    assert.equal(relativeScore(6, 4), 1.5);
    assert.equal(relativeScore(-2, 4), -0.5);
    assert.equal(relativeScore(2, 0), 3);
    assert.equal(relativeScore(-1, -3), 3);
    assert.ok(Number.isNaN(relativeScore(5, Number.NaN)));
    assert.ok(Number.isNaN(relativeScore(Number.NaN, 2)));
  });
});

describe('compareRuns', () => {
  // Run A is on a scale ten times run B's: raw scores would rank all of A above all of B.
  const a = handRun('A', [[10, 20, 0], [30, 20, 0], [15, 20, 1000], [25, 20, 1000]], [[1000, false], [1000, true]]);
  const b = handRun('B', [[1, 2, 0], [1.5, 2, 0], [1.8, 2, 5000], [4, 2, 5000]], [[5000, false], [5000, true]]);
  const benign = handRun('C', [[3, 3, 0], [2, 3, 0], [0, 3, 0]], []);
  const c = compareRuns([a, b, benign], 0.25);

  it('pools counts as sums and the ROC on score ÷ threshold', () => {
    const p = c.pooled['d']!;
    assert.equal(p.runs, 3);
    assert.deepEqual([p.caught, p.events, p.tpr], [2, 4, 0.5]);
    // Benign: A 0.5, 1.5; B 0.5, 0.75; C 1, 2/3, 0 → one alarm (A's 1.5) of 7.
    assert.deepEqual([p.falseAlarms, p.benignIntervals, p.fpr], [1, 7, 1 / 7]);
    // Attack: A 0.75, 1.25; B 0.9, 2. Pairs: 0.75 above 4 benign (0.5, 0.5, 2/3, 0) and tied
    // with B's 0.75 (½); 1.25 above 6; 0.9 above 5; 2 above all 7.
    assert.equal(p.attackIntervals, 4);
    assert.equal(p.auc, (4.5 + 6 + 5 + 7) / 28);
    // Rate 0.25 of 7 benign: k = 1, threshold the 2nd highest benign (1): attacks above it 1.25 and 2.
    assert.deepEqual(p.atRate, { fpr: 0.25, threshold: 1, tpr: 0.5, achievedFpr: 1 / 7 });
  });

  it('groups by size: benign runs first, each size with its runs only', () => {
    assert.deepEqual(c.byBytes.map((r) => [r.label, r.runs]), [['benign', ['C']], ['1000', ['A']], ['5000', ['B']]]);
    const [rowBenign, row1k, row5k] = c.byBytes.map((r) => r.detectors['d']!);
    assert.deepEqual([rowBenign!.events, rowBenign!.tpr, rowBenign!.falseAlarms, rowBenign!.benignIntervals], [0, null, 0, 3]);
    assert.deepEqual([row1k!.caught, row1k!.events, row1k!.falseAlarms, row1k!.benignIntervals], [1, 2, 1, 2]);
    assert.deepEqual([row5k!.caught, row5k!.events, row5k!.fpr], [1, 2, 0]);
    // 5000 row: attacks 0.9, 2 against B's benign 0.5, 0.75: every pair above.
    assert.equal(row5k!.auc, 1);
  });

  it('counts a run with two sizes in each of its sizes’ rows, its attacks each in their own', () => {
    const mixed = handRun('M', [[1, 2, 0], [3, 2, 1000], [1, 2, 5000]], [[1000, true], [5000, false]]);
    const m = compareRuns([mixed, benign], 0.1);
    assert.deepEqual(m.byBytes.map((r) => [r.label, r.runs, r.detectors['d']!.caught, r.detectors['d']!.events, r.detectors['d']!.attackIntervals]), [
      ['benign', ['C'], 0, 0, 0],
      ['1000', ['M'], 1, 1, 1],
      ['5000', ['M'], 0, 1, 1],
    ]);
  });

  it('leaves out the table by size when every run has the same', () => {
    assert.deepEqual(compareRuns([a], 0.1).byBytes, []);
  });

  it('finds the smallest size caught within the FPR bound, or none', () => {
    const s = smallestCaught(c, 0.01, [0.5, 1]);
    // 1000: half caught but FPR 1/2 > 0.01; 5000: half caught at FPR 0; nothing catches all.
    assert.deepEqual(s, [{ detector: 'd', bytesAt: { '0.5': 5000, '1': null } }]);
  });

  it('gives one run’s own AUC and operating point on its raw scores, as its summary.json', () => {
    // Thresholds moved during the run: raw, the attack's 20 is between the benign 10 and 30
    // (AUC ½); on the threshold's scale (0.5, 0.3 against 2) it is above both (AUC 1).
    const moving = handRun('R', [[10, 20, 0], [30, 100, 0], [20, 10, 1000]], [[1000, true]]);
    const own = runFigures(moving, 0.5)['d']!;
    assert.equal(own.auc, 0.5);
    // Rate ½ of 2 benign: k = 1, threshold the 2nd highest benign raw score (10); 20 is above it.
    // Alarms (score > its threshold): only the attack's 20 > 10, so no false alarm.
    assert.deepEqual(own.atRate, { fpr: 0.5, threshold: 10, tpr: 1, achievedFpr: 0.5 });
    assert.equal(compareRuns([moving], 0.5).pooled['d']!.auc, 1);
    const csv = runsComparisonCsv(compareRuns([moving], 0.5), [moving]).trimEnd().split('\n');
    const row = csv.find((l) => l.startsWith('run,'))!.split(',');
    assert.equal(row.slice(0, 17).join(','), 'run,,R,d,1,1,1,1,2,0,0,1,0.5,0.5,1,10,0.5');
    // Wilson 95 % intervals of 1 caught of 1 and 0 false alarms of 2 (worked outside the project).
    closeTo(row.slice(17).map(Number), [0.20654931437723745, 1, 0, 0.6576197724933469]);
  });

  it('pools the false-alarm promise as one binomial over the runs, and only runs of one rate', () => {
    const promised = (r: ReplayedRun, judgedIntervals: number, episodes: number, rate = 0.01): ReplayedRun => ({
      ...r,
      summary: { ...r.summary, detectors: { d: { ...r.summary.detectors['d']!, falseAlarmPromise: { rate, judgedIntervals, episodes, p: Number.NaN } } } },
    });
    // 3 episodes in 40 and 2 in 60: 5 in 100 at 0.01, P(X ≥ 5) = 0.00343 (exact sum, outside the project).
    const pooled = compareRuns([promised(a, 40, 3), promised(b, 60, 2)], 0.01).pooled['d']!.promise!;
    assert.deepEqual([pooled.rate, pooled.judgedIntervals, pooled.episodes, pooled.runs], [0.01, 100, 5, 2]);
    assert.ok(Math.abs(pooled.p - 0.003432321587754515) < 1e-12, String(pooled.p));
    assert.match(formatRunsComparison(compareRuns([promised(a, 40, 3), promised(b, 60, 2)], 0.01), 2), /\n {2}d: 5 episode\(s\) in 100 judged benign intervals of 2 run\(s\) at a rate of 0\.01 \(P = 0\.0034\)\n/);
    // An injected copy of a run is that run's benign traffic again: left out, not counted twice.
    const copy = { ...promised(b, 60, 2), run: 'B-injected', injectedCopy: true };
    const withCopy = compareRuns([promised(a, 40, 3), promised(b, 60, 2), copy], 0.01).pooled['d']!.promise!;
    assert.deepEqual([withCopy.judgedIntervals, withCopy.episodes, withCopy.runs], [100, 5, 2]);
    assert.equal(compareRuns([copy], 0.01).pooled['d']!.promise, undefined, 'copies only');
    assert.equal(compareRuns([promised(a, 40, 3), promised(b, 60, 2, 0.001)], 0.01).pooled['d']!.promise, undefined, 'two rates');
    assert.equal(compareRuns([promised(a, 40, 3), b], 0.01).pooled['d']!.promise, undefined, 'a summary without it');
    assert.doesNotMatch(formatRunsComparison(c, 3), /beyond the rate/);
  });

  it('prints and writes the same figures', () => {
    const text = formatRunsComparison(c, 3);
    assert.match(text, /^d +3 +2\/4 +0\.500 +1\/7 +0\.143 +0\.804 +0\.500 +0\.143$/m);
    assert.match(text, /^1000 +1 +2 +0\.50 \/ 0\.500$/m);
    const csv = runsComparisonCsv(c, [a, b, benign]).trimEnd().split('\n');
    const pooled = csv[1]!.split(',');
    assert.equal(pooled.slice(0, 17).join(','), `pooled,,,d,3,4,2,0.5,7,1,${1 / 7},4,${22.5 / 28},0.25,0.5,1,${1 / 7}`);
    // Wilson 95 % intervals of 2 caught of 4 and 1 false alarm of 7 (worked outside the project).
    closeTo(pooled.slice(17).map(Number), [0.15003898915214953, 0.8499610108478505, 0.02567962434474355, 0.5131278292743189]);
    assert.equal(csv.filter((l) => l.startsWith('run,')).length, 3);
  });
});
