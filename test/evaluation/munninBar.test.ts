import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatMunninBar, munninBar, type RunsComparison } from '../../src/evaluation/index.ts';

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

  it('beyond sampling error: 5 of 5 caught clears a 90 % bar as measured but not surely; 100 of 100 does; an FPR within the bar whose interval is not', () => {
    // Wilson 95 % intervals worked outside the project (z = 1.95996): 5/5 → [0.5655, 1]; 100/100 → [0.9630, 1];
    // 0/1000 → [0, 0.003827]; 18/1000 → [0.01142, 0.02827]; 25/1000 → [0.01699, 0.03665]; 63/100 → [0.5322, 0.7182].
    const counted = (caught: number, events: number, falseAlarms: number, benignIntervals: number) => ({
      ...figures(caught / events, falseAlarms / benignIntervals), caught, events, falseAlarms, benignIntervals,
    });
    const c: RunsComparison = {
      detectors: ['few', 'many'],
      falseAlarmRate: 0.01,
      pooled: {},
      byBytesLeftOut: {},
      byBytes: [
        { bytes: 20_000, label: '20000', runs: [], detectors: { few: counted(63, 100, 25, 1000), many: counted(63, 100, 18, 1000) } },
        { bytes: 25_000, label: '25000', runs: [], detectors: { few: counted(5, 5, 0, 1000), many: counted(100, 100, 0, 1000) } },
      ],
    };
    const [few, many] = munninBar(c);
    assert.deepEqual(few!.sizes.map((s) => [s.bytes, s.met, s.sure]), [[20_000, true, false], [25_000, true, false]]);
    assert.deepEqual(many!.sizes.map((s) => [s.bytes, s.met, s.sure]), [[20_000, true, true], [25_000, true, true]]);
    assert.deepEqual([few!.all, few!.allSure, many!.all, many!.allSure], [true, false, true, true]);
    const close = (actual: readonly [number, number] | null, expected: [number, number]) => {
      assert.ok(actual !== null && Math.abs(actual[0] - expected[0]) < 5e-4 && Math.abs(actual[1] - expected[1]) < 5e-4, `${actual} against ${expected}`);
    };
    close(few!.sizes[1]!.tprInterval95, [0.5655, 1]);
    close(few!.sizes[0]!.fprInterval95, [0.01699, 0.03665]);
    close(many!.sizes[0]!.tprInterval95, [0.5322, 0.7182]);
    close(many!.sizes[0]!.fprInterval95, [0.01142, 0.02827]);
    close(many!.sizes[1]!.fprInterval95, [0, 0.003827]);
  });
});

describe('formatMunninBar', () => {
  it('a line per detector with each size of the bar the comparison holds, + and ++ marks, then the intervals of the sizes cleared; nothing without a size of the bar', () => {
    const c = comparison({ 10_000: { a: [0.6, 0.0], b: [0.2, 0.0] }, 30_000: { a: [1, 0], b: [0.8, 0] } });
    // Attacks caught as the TPR says (figures() leaves it 0), for the intervals.
    for (const row of c.byBytes) for (const f of Object.values(row.detectors)) (f as { caught: number }).caught = Math.round(f.tpr! * f.events);
    const text = formatMunninBar(c);
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0]!, /^against the bar Munnin set on its own data/);
    // 5 events and 50 benign intervals a cell (figures()): 3/5 → [0.2307, 0.8824]; 5/5 → [0.5655, 1]; 0/50 → [0, 0.0714].
    assert.equal(lines[1], '  a              10 kB 0.60/0.000 +   30 kB 1.00/0.000 +    all cleared as measured');
    assert.equal(lines[2], '  b              10 kB 0.20/0.000     30 kB 0.80/0.000   ');
    assert.match(lines[3]!, /^95 % intervals of the sizes cleared as measured/);
    assert.equal(lines[4], '  a              10 kB 0.23-0.88, 0.000-0.071; 30 kB 0.57-1.00, 0.000-0.071');
    assert.equal(lines.length, 5);
    assert.equal(formatMunninBar(comparison({ 50_000: { a: [1, 0], b: [1, 0] } })), '');
  });
});
