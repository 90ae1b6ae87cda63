import { it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSummaries, comparisonCsv, formatComparisonTable, planVariants, type ReplayedSummary } from '../../src/sweep/index.ts';

// Bug (tester ti, 4): a sweep replayed with `--inject 200000@20-24 --inject 20000@20-24
// --inject 60000@20-24` listed 200 kB, 20 kB, 60 kB in the printed table, comparison.csv and the
// dashboard's comparison: the variants were planned in the flags' order and the rows kept the
// order they first appeared in. Axis values listed out of order (bytes 400000 before 50000) did
// the same. Rows now follow the swept values ascending, as the F1 charts' x axis.
const at = [{ startSeconds: 20, endSeconds: 24 }];

it('plans the injected replays by ascending rate, whatever the order of the flags', () => {
  const variants = planVariants([], [200_000, 20_000, 60_000].map((bytesPerInterval) => ({ bytesPerInterval, at })));
  assert.deepEqual(
    variants.map((v) => v.name),
    ['inject=20000', 'inject=60000', 'inject=200000'],
  );
});

it('orders comparison rows by the swept values numerically, then the rate, detectors in their order', () => {
  // Replays in the order the sweep lists its values (bytes 400000 then 50000) and the flags (200000, 20000, 60000).
  const entries: ReplayedSummary[] = [];
  for (const bytes of [400_000, 50_000]) {
    for (const inject of [200_000, 20_000, 60_000]) {
      entries.push({
        run: `bytes=${bytes}_r1`,
        repeat: 1,
        variant: `inject=${inject}`,
        axisValues: { bytes },
        injectBytesPerInterval: inject,
        file: `bytes=${bytes}_r1/replay/inject=${inject}/summary.json`,
        detectors: { ewma: { f1: 0.5 }, cusum: { f1: 0.25 } },
      });
    }
  }
  const rows = compareSummaries(entries, [{ name: 'bytes', path: 'exfiltration[*].bytes' }]);
  const expected = [50_000, 400_000].flatMap((bytes) => [20_000, 60_000, 200_000].flatMap((inject) => ['ewma', 'cusum'].map((d) => [d, bytes, inject])));
  assert.deepEqual(
    rows.map((r) => [r.detector, r.axisValues['bytes'], r.injectBytesPerInterval]),
    expected,
  );
  // The CSV and the printed table list the rows in that order.
  const csvRates = comparisonCsv(rows, ['bytes'], true).trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 3).join(','));
  assert.deepEqual(csvRates, expected.map((e) => e.join(',')));
  const table = formatComparisonTable(rows, ['bytes'], true).split('\n');
  assert.deepEqual(
    table.slice(1, 13).map((l) => l.split(/\s+/).slice(0, 3).join(' ')),
    expected.map((e) => e.join(' ')),
  );
});

it("orders one detector's own axis numerically too, and keeps text values in the sweep's order", () => {
  const entries: ReplayedSummary[] = [];
  for (const shape of ['normal', 'diurnal']) {
    for (const k of [3, 2.5, 10]) {
      entries.push({ run: `shape=${shape}_r1`, repeat: 1, variant: `k=${k}`, axisValues: { shape, k }, injectBytesPerInterval: null, file: `${shape}-${k}`, detectors: { ewma: { f1: 1 } } });
    }
  }
  const rows = compareSummaries(entries, [
    { name: 'shape', path: 'traffic.shape' },
    { name: 'k', path: 'detectors.options.ewma.k' },
  ]);
  assert.deepEqual(
    rows.map((r) => [r.axisValues['shape'], r.axisValues['k']]),
    [
      ['normal', 2.5],
      ['normal', 3],
      ['normal', 10],
      ['diurnal', 2.5],
      ['diurnal', 3],
      ['diurnal', 10],
    ],
  );
});
