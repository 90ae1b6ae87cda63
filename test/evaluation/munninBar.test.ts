import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { munninBar, type RunsComparison } from '../../src/evaluation/index.ts';

/** A detector's figures in one row of the table by bytes: only TPR and FPR matter to the bar. */
function figures(tpr: number | null, fpr: number | null) {
  return { runs: 1, events: 5, caught: 0, tpr, benignIntervals: 50, falseAlarms: 0, fpr, attackIntervals: 5, auc: null, atRate: { fpr: 0.01, threshold: null, tpr: null, achievedFpr: null } };
}

function comparison(rows: Record<number, Record<string, [number | null, number | null]>>): RunsComparison {
  const detectors = ['a', 'b'];
  return {
    detectors,
    falseAlarmRate: 0.01,
    pooled: {},
    byBytesLeftOut: {},
    byBytes: Object.entries(rows).map(([bytes, byDetector]) => ({
      bytes: Number(bytes),
      label: bytes,
      runs: [],
      detectors: Object.fromEntries(Object.entries(byDetector).map(([d, [tpr, fpr]]) => [d, figures(tpr, fpr)])),
    })),
  };
}

describe('munninBar', () => {
  it('at the edges of the bar: > 40 % of 10 kB at FPR ≤ 7 % (40 % exactly is not more), ≥ 90 % of 25 kB at ≤ 5 % (90 % and 5 % exactly clear it)', () => {
    const rows = munninBar(
      comparison({
        10_000: { a: [0.4, 0.01], b: [0.41, 0.07] },
        20_000: { a: [0.5, 0.03], b: [0.5, 0.031] },
        25_000: { a: [0.9, 0.05], b: [0.95, 0.051] },
      }),
    );
    const a = rows.find((r) => r.detector === 'a')!;
    const b = rows.find((r) => r.detector === 'b')!;
    assert.deepEqual(a.sizes.map((s) => [s.bytes, s.met]), [[10_000, false], [20_000, true], [25_000, true]]);
    assert.deepEqual(b.sizes.map((s) => [s.bytes, s.met]), [[10_000, true], [20_000, false], [25_000, false]]);
    assert.equal(a.all, false);
  });

  it('checks only the sizes the comparison holds; all cleared when each of them is; no size, nothing cleared', () => {
    const [a] = munninBar(comparison({ 15_000: { a: [0.34, 0.07], b: [null, null] }, 35_000: { a: [1, 0], b: [null, null] } }));
    assert.deepEqual(a!.sizes.map((s) => s.bytes), [15_000, 35_000]);
    assert.equal(a!.all, true);
    const none = munninBar(comparison({ 50_000: { a: [1, 0], b: [1, 0] } }));
    assert.deepEqual(none.map((r) => [r.sizes.length, r.all]), [[0, false], [0, false]]);
    // A detector without an attack figure (TPR null) does not clear a size.
    const [, b] = munninBar(comparison({ 15_000: { a: [0.34, 0.07], b: [null, 0] } }));
    assert.deepEqual(b!.sizes.map((s) => s.met), [false]);
  });
});
