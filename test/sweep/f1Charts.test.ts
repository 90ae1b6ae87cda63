import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSummaries, f1Charts, type ReplayedSummary } from '../../src/sweep/index.ts';
import { formatRateTick } from '../../src/sweep/errorBars.ts';

const replay = (run: string, bytes: number, k: number, f1: Record<string, number>): ReplayedSummary => ({
  run,
  repeat: 1,
  variant: `k=${k}`,
  axisValues: { bytes, k },
  injectBytesPerInterval: null,
  file: `${run}/replay/k=${k}/summary.json`,
  detectors: Object.fromEntries(Object.entries(f1).map(([d, v]) => [d, { f1: v }])),
});

describe('f1Charts', () => {
  const entries = [
    replay('small', 100_000, 2, { ewma: 0.5, cc: 0.2, pca: 0.2 }),
    replay('small', 100_000, 3, { ewma: 0.4, cc: 0.2, pca: 0.2 }),
    replay('big', 400_000, 2, { ewma: 0.9, cc: 0.6, pca: 0.6 }),
    replay('big', 400_000, 3, { ewma: 0.8, cc: 0.6, pca: 0.6 }),
  ];
  const axes = [
    { name: 'bytes', path: 'exfiltration[*].bytes', values: [100_000, 400_000], labels: ['100000', '400000'] },
    { name: 'k', path: 'detectors.options.ewma.k', values: [2, 3], labels: ['2', '3'] },
  ];
  const rows = compareSummaries(entries, axes);
  const charts = f1Charts(rows, axes, { key: 'bytes', title: 'exfiltrated bytes' });

  it('draws one chart per value of k, each with every detector (those k does not change in both)', () => {
    assert.deepEqual(
      charts.map((c) => c.file),
      ['f1-vs-bytes_k=2.png', 'f1-vs-bytes_k=3.png'],
    );
    const ewma = (i: number) => (charts[i]!.config.data.datasets as { label: string; data: { x: number; y: number }[] }[]).find((d) => d.label === 'ewma')!.data;
    assert.deepEqual(ewma(0), [{ x: 100_000, y: 0.5 }, { x: 400_000, y: 0.9 }]);
    assert.deepEqual(ewma(1), [{ x: 100_000, y: 0.4 }, { x: 400_000, y: 0.8 }]);
    for (const c of charts) assert.equal(c.config.data.datasets.length, 3);
  });

  it('puts the rate on a log axis, gives each detector its own marker and names the lines that coincide', () => {
    const { config } = charts[0]!;
    const x = config.options!.scales!['x'] as { type: string };
    assert.equal(x.type, 'logarithmic');
    const datasets = config.data.datasets as { label: string; pointStyle: string }[];
    assert.deepEqual(datasets.map((d) => d.label), ['ewma', 'cc (= pca)', 'pca (= cc)']);
    assert.equal(new Set(datasets.map((d) => d.pointStyle)).size, 3);
  });

  it('labels the byte axis at 1, 2 and 5 × powers of ten only', () => {
    assert.deepEqual([100_000, 200_000, 300_000, 500_000, 1e6, 2_000, 50].map(formatRateTick), ['100 kB', '200 kB', '', '500 kB', '1 MB', '2 kB', '50 B']);
  });
});
