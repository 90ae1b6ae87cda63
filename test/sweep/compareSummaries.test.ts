import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSummaries, comparisonCsv, formatComparisonTable, formatStat, meanStd, type ReplayedSummary } from '../../src/sweep/index.ts';

describe('meanStd', () => {
  it('is the mean and the sample standard deviation (n − 1)', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, 32 / 7.
    const s = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(s.mean, 5);
    assert.equal(s.n, 8);
    assert.ok(Math.abs(s.std! - Math.sqrt(32 / 7)) < 1e-12);
  });

  it('skips nulls instead of counting them as zero, and has no spread below two values', () => {
    assert.deepEqual(meanStd([0.5, null, 1, undefined]), { mean: 0.75, std: Math.sqrt(0.125), n: 2 });
    assert.deepEqual(meanStd([0.25, null]), { mean: 0.25, std: null, n: 1 });
    assert.deepEqual(meanStd([null, null]), { mean: null, std: null, n: 0 });
    assert.deepEqual(meanStd([]), { mean: null, std: null, n: 0 });
  });
});

const entry = (run: string, repeat: number, axisValues: Record<string, unknown>, inject: number | null, detectors: ReplayedSummary['detectors']): ReplayedSummary => ({
  run,
  repeat,
  variant: '',
  axisValues,
  injectBytesPerInterval: inject,
  file: `${run}/replay/summary.json`,
  detectors,
});

describe('compareSummaries', () => {
  const entries = [
    entry('b=1_r1', 1, { b: 1, k: 2 }, null, { ewma: { tpr: 1, fpr: 0.1, f1: 0.8, auc: 0.9 }, cc: { tpr: 0.5, fpr: 0, f1: 0.6, auc: null } }),
    entry('b=1_r2', 2, { b: 1, k: 2 }, null, { ewma: { tpr: 0.5, fpr: 0.3, f1: 0.4, auc: 0.7 }, cc: { tpr: 0.5, fpr: 0.2, f1: 0.2, auc: 0.6 } }),
    entry('b=2_r1', 1, { b: 2, k: 2 }, null, { ewma: { tpr: null, fpr: 0, f1: null, auc: null } }),
  ];

  it('groups by axis values, one row per detector, metrics over the repeats', () => {
    const rows = compareSummaries(entries, ['b', 'k']);
    assert.deepEqual(
      rows.map((r) => [r.detector, r.axisValues, r.runs]),
      [
        ['ewma', { b: 1, k: 2 }, 2],
        ['cc', { b: 1, k: 2 }, 2],
        ['ewma', { b: 2, k: 2 }, 1],
      ],
    );
    const [ewma, cc, lone] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    // By hand: mean of (0.8, 0.4) = 0.6; sample std = sqrt(((0.2)² + (0.2)²) / 1) = sqrt(0.08).
    assert.ok(Math.abs(ewma.f1.mean! - 0.6) < 1e-12);
    assert.ok(Math.abs(ewma.f1.std! - Math.sqrt(0.08)) < 1e-12);
    assert.equal(ewma.tpr.mean, 0.75);
    assert.deepEqual(cc.auc, { mean: 0.6, std: null, n: 1 });
    assert.deepEqual(lone.f1, { mean: null, std: null, n: 0 });
    assert.deepEqual(lone.fpr, { mean: 0, std: null, n: 1 });
  });

  it('keeps injected rates apart', () => {
    const rows = compareSummaries(
      [entry('r1', 1, {}, 1000, { ewma: { f1: 0.2 } }), entry('r1', 1, {}, 5000, { ewma: { f1: 0.9 } }), entry('r2', 2, {}, 1000, { ewma: { f1: 0.4 } })],
      [],
    );
    assert.deepEqual(rows.map((r) => [r.injectBytesPerInterval, r.runs, r.f1.mean]), [[1000, 2, 0.30000000000000004], [5000, 1, 0.9]]);
  });

  it('writes CSV with mean, std and n per metric, empty where undefined', () => {
    const csv = comparisonCsv(compareSummaries(entries, ['b', 'k']), ['b', 'k'], false).split('\n');
    assert.equal(csv[0], 'detector,b,k,runs,tpr_mean,tpr_std,tpr_n,fpr_mean,fpr_std,fpr_n,f1_mean,f1_std,f1_n,auc_mean,auc_std,auc_n,uncalibrated_runs,false_alarm_episodes,judged_benign_intervals,promise_p');
    // cc: tpr (0.5, 0.5), fpr (0, 0.2), f1 (0.6, 0.2), auc (null, 0.6).
    const expected = ['cc', '1', '2', '2', 0.5, 0, '2', 0.1, Math.sqrt(0.02), '2', 0.4, Math.sqrt(0.08), '2', 0.6, '', '1', '0', '', '', ''];
    const cells = csv[2]!.split(',');
    assert.equal(cells.length, expected.length);
    expected.forEach((want, i) => {
      if (typeof want === 'string') assert.equal(cells[i], want, `cell ${i}`);
      else assert.ok(Math.abs(Number(cells[i]) - want) < 1e-12, `cell ${i}: ${cells[i]} vs ${want}`);
    });
    assert.equal(csv[3], 'ewma,2,2,1,,,0,0,,1,,,0,,,0,0,,,');
    const injected = comparisonCsv(compareSummaries([entry('r1', 1, { s: 'a,"b"' }, 1000, { ewma: { f1: 0.5 } })], ['s']), ['s'], true).split('\n');
    assert.equal(injected[0], 'detector,s,inject_bytes_per_interval,runs,tpr_mean,tpr_std,tpr_n,fpr_mean,fpr_std,fpr_n,f1_mean,f1_std,f1_n,auc_mean,auc_std,auc_n,uncalibrated_runs,false_alarm_episodes,judged_benign_intervals,promise_p');
    assert.equal(injected[1], 'ewma,"a,""b""",1000,1,,,0,,,0,0.5,,1,,,0,0,,,');
  });

  it('pools the false-alarm promise over a row\'s repeats, writes it, and names a broken one under the table', () => {
    const promise = (judgedIntervals: number, episodes: number) => ({ falseAlarmPromise: { rate: 0.01, judgedIntervals, episodes, p: Number.NaN } });
    // 3 + 2 episodes in 40 + 60 judged intervals: P(X ≥ 5 | 100, 0.01) = 0.00343 (exact sum, outside the project).
    const rows = compareSummaries([entry('r1', 1, { k: 2 }, null, { cc: { f1: 0.5, ...promise(40, 3) } }), entry('r2', 2, { k: 2 }, null, { cc: { f1: 0.5, ...promise(60, 2) } })], ['k']);
    const p = rows[0]!.promise!;
    assert.deepEqual([p.judgedIntervals, p.episodes, p.runs], [100, 5, 2]);
    assert.ok(Math.abs(p.p - 0.003432321587754515) < 1e-12, String(p.p));
    assert.match(comparisonCsv(rows, ['k'], false).split('\n')[1]!, /,5,100,0\.00343232158775/);
    assert.match(formatComparisonTable(rows, ['k'], false), /\n {2}cc \(k=2\): 5 episode\(s\) in 100 judged benign intervals of 2 run\(s\) at a rate of 0\.01 \(P = 0\.0034\)\n/);
    // One repeat's summary without it: nothing pooled, nothing said.
    const partial = compareSummaries([entry('r1', 1, { k: 2 }, null, { cc: { f1: 0.5, ...promise(40, 3) } }), entry('r2', 2, { k: 2 }, null, { cc: { f1: 0.5 } })], ['k']);
    assert.equal(partial[0]!.promise, undefined);
    assert.doesNotMatch(formatComparisonTable(partial, ['k'], false), /beyond the rate/);
  });

  it('prints mean ± std, the count when some runs lacked the value, and - when none had it', () => {
    assert.equal(formatStat({ mean: 0.6, std: 0.2828, n: 2 }, 2), '0.600 ± 0.283');
    assert.equal(formatStat({ mean: 0.6, std: null, n: 1 }, 2), '0.600 [1]');
    assert.equal(formatStat({ mean: null, std: null, n: 0 }, 2), '-');
    const table = formatComparisonTable(compareSummaries(entries, ['b', 'k']), ['b', 'k'], false);
    const lines = table.split('\n');
    assert.match(lines[0]!, /^detector\s+b\s+k\s+runs\s+TPR\s+FPR\s+F1\s+AUC$/);
    assert.match(lines[1]!, /^ewma\s+1\s+2\s+2\s+0\.750 ± 0\.354\s+0\.200 ± 0\.141\s+0\.600 ± 0\.283\s+0\.800 ± 0\.141$/);
    assert.match(lines[3]!, /^ewma\s+2\s+2\s+1\s+-\s+0\.000\s+-\s+-$/);
    assert.match(table, /sample standard deviation \(n − 1\)/);
  });
});

describe('compareSummaries with an axis on one detector', () => {
  // Two runs, each replayed with k = 2 and k = 3; k is ewma's option, cc ignores it.
  const replay = (run: string, k: number, ewmaF1: number, ccF1: number): ReplayedSummary => ({
    run,
    repeat: run === 'r1' ? 1 : 2,
    variant: `k=${k}`,
    axisValues: { b: 1, k },
    injectBytesPerInterval: null,
    file: `${run}/replay/k=${k}/summary.json`,
    detectors: { ewma: { f1: ewmaF1 }, cc: { f1: ccF1 } },
  });
  const entries = [replay('r1', 2, 0.5, 0.2), replay('r1', 3, 0.7, 0.2), replay('r2', 2, 0.3, 0.6), replay('r2', 3, 0.9, 0.6)];
  const axes = [
    { name: 'b', path: 'exfiltration[*].bytes' },
    { name: 'k', path: 'detectors.options.ewma.k' },
  ];

  it('lists the other detectors once, each run counted once', () => {
    const rows = compareSummaries(entries, axes);
    assert.deepEqual(
      rows.map((r) => [r.detector, r.axisValues, r.runs, r.f1.mean]),
      [
        ['ewma', { b: 1, k: 2 }, 2, 0.4],
        ['ewma', { b: 1, k: 3 }, 2, 0.8],
        ['cc', { b: 1 }, 2, 0.4],
      ],
    );
    // cc over r1 and r2 only (0.2, 0.6): sample std sqrt(0.08), not the std of four copies.
    assert.ok(Math.abs(rows[2]!.f1.std! - Math.sqrt(0.08)) < 1e-12);
    assert.equal(rows[2]!.f1.n, 2);
  });

  it('leaves the axis cell empty in CSV and says "any" in the table', () => {
    const rows = compareSummaries(entries, axes);
    assert.equal(comparisonCsv(rows, ['b', 'k'], false).split('\n')[3]!.split(',').slice(0, 4).join(','), 'cc,1,,2');
    const table = formatComparisonTable(rows, ['b', 'k'], false);
    assert.match(table, /^cc\s+1\s+any\s+2\s/m);
    assert.match(table, /any: the axis does not change this detector/);
  });
});

describe('detectorOfPath', () => {
  it("names the detector whose options a path sets, and none for paths that change every detector", async () => {
    const { detectorOfPath } = await import('../../src/sweep/index.ts');
    assert.equal(detectorOfPath('detectors.options.ewma.k'), 'ewma');
    assert.equal(detectorOfPath('detectors.options.pca-subspace.components'), 'pca-subspace');
    assert.equal(detectorOfPath('detectors.trainingSeconds'), undefined);
    assert.equal(detectorOfPath('detectors.enabled'), undefined);
    assert.equal(detectorOfPath('exfiltration[*].bytes'), undefined);
  });
});
