import { it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSummaries, type ReplayedSummary } from '../../src/sweep/index.ts';

// Bug (issue 16): the sweep comparison repeated every detector for each value of an axis only
// one detector has (`detectors.options.ewma.k`): with seven detectors and two values of k,
// 12 of 14 rows were duplicates, and a detector's identical replays counted as separate runs.
it('lists the detectors an axis does not change once per combination of the other axes', () => {
  const detectors = ['control-chart', 'ewma', 'pair-ratio', 'three-tier', 'new-edge', 'eigenspace', 'pca-subspace'];
  const entries: ReplayedSummary[] = [2, 3].map((k) => ({
    run: 'bytes=400000_r1',
    repeat: 1,
    variant: `k=${k}`,
    axisValues: { bytes: 400_000, k },
    injectBytesPerInterval: null,
    file: `bytes=400000_r1/replay/k=${k}/summary.json`,
    detectors: Object.fromEntries(detectors.map((d) => [d, { f1: d === 'ewma' ? k / 10 : 0.5 }])),
  }));
  const rows = compareSummaries(entries, [
    { name: 'bytes', path: 'exfiltration[*].bytes' },
    { name: 'k', path: 'detectors.options.ewma.k' },
  ]);
  // 6 detectors once, ewma once per k.
  assert.equal(rows.length, 6 + 2);
  assert.deepEqual(rows.filter((r) => r.detector === 'ewma').map((r) => r.axisValues), [
    { bytes: 400_000, k: 2 },
    { bytes: 400_000, k: 3 },
  ]);
  for (const r of rows.filter((x) => x.detector !== 'ewma')) {
    assert.deepEqual(r.axisValues, { bytes: 400_000 });
    assert.equal(r.runs, 1);
  }
});
