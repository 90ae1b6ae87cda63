// The folder replay's TPR-by-bytes plot must show every detector: eleven detectors, two of them
// at TPR 0 at every size (new-edge and midas on an injected sweep), drew one marker over the
// other, and the tenth detector's marker ('line') read as a line, not a point.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PooledFigures, RunsComparison } from '../../src/evaluation/index.ts';
import { MARKERS } from '../../src/report/charts/index.ts';
import { DODGE_LOG_WIDTH, tprByBytesChart } from '../../src/replay/tprByBytesChart.ts';

function figures(tpr: number): PooledFigures {
  return { runs: 1, events: 10, caught: Math.round(10 * tpr), tpr, benignIntervals: 100, falseAlarms: 1, fpr: 0.01, attackIntervals: 10, auc: null, atRate: { fpr: 0.01, threshold: null, tpr: null, achievedFpr: null } };
}

test('tprByBytesChart: fourteen detectors get fourteen different markers, and equal TPRs at a size are drawn side by side within ±6 % of it', () => {
  const detectors = Array.from({ length: 14 }, (_, i) => `detector-${i}`);
  const sizes = [10_000, 20_000, 50_000];
  const comparison: RunsComparison = {
    detectors,
    falseAlarmRate: 0.01,
    pooled: Object.fromEntries(detectors.map((d) => [d, figures(0)])),
    byBytesLeftOut: {},
    byBytes: sizes.map((bytes) => ({ bytes, label: `${bytes / 1000} kB`, runs: ['a'], detectors: Object.fromEntries(detectors.map((d) => [d, figures(0)])) })),
  };
  const config = tprByBytesChart(comparison)!;
  const datasets = config.data.datasets as unknown as { pointStyle: string; pointRotation: number; backgroundColor: string; borderColor: string; data: { x: number; y: number }[] }[];
  assert.equal(datasets.length, 14);
  const markers = datasets.map((d) => `${d.pointStyle}/${d.pointRotation}/${d.backgroundColor === '#ffffff' ? 'hollow' : 'filled'}`);
  assert.equal(new Set(markers).size, 14, markers.join(' '));
  assert.ok(datasets.every((d) => d.pointStyle !== 'line' && d.pointStyle !== 'dash'), 'no marker that reads as a line');
  assert.equal(MARKERS.length, 14);
  for (const [k, bytes] of sizes.entries()) {
    const xs = datasets.map((d) => d.data[k]!.x);
    assert.equal(new Set(xs).size, 14, `at ${bytes}: every detector at its own x`);
    // The first and last detector sit at the edges of the spread, e^(±0.06) of the size.
    assert.ok(Math.abs(xs[0]! / bytes - Math.exp(-DODGE_LOG_WIDTH / 2)) < 1e-12);
    assert.ok(Math.abs(xs[13]! / bytes - Math.exp(DODGE_LOG_WIDTH / 2)) < 1e-12);
    assert.ok(xs.every((x) => x > bytes * 0.94 && x < bytes * 1.065), `${xs}`);
    assert.ok(datasets.every((d) => d.data[k]!.y === 0));
  }
});

test('tprByBytesChart: each point carries its Wilson 95 % interval (caught of events), drawn by the error-bar plugin', () => {
  const comparison: RunsComparison = {
    detectors: ['a'],
    falseAlarmRate: 0.01,
    pooled: { a: figures(0.25) },
    byBytesLeftOut: {},
    byBytes: [
      { bytes: 10_000, label: '10 kB', runs: ['r'], detectors: { a: figures(0) } },
      { bytes: 20_000, label: '20 kB', runs: ['r'], detectors: { a: figures(0.5) } },
    ],
  };
  const config = tprByBytesChart(comparison)!;
  assert.deepEqual(config.plugins?.map((p) => p.id), ['munninErrorBars']);
  const [dataset] = config.data.datasets as unknown as { data: { y: number }[]; interval: [number, number][] }[];
  assert.deepEqual(dataset!.data.map((p) => p.y), [0, 0.5]);
  // Worked outside the project (z = 1.95996): 0 of 10 → [0, 0.27753], 5 of 10 → [0.23659, 0.76341].
  const expected = [[0, 0.2775327998628892], [0.236593090512564, 0.7634069094874361]];
  dataset!.interval.forEach((ends, i) => ends.forEach((x, j) => assert.ok(Math.abs(x - expected[i]![j]!) < 1e-12, `${ends} against ${expected[i]}`)));
});
