import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRatioTick, formatScore, NO_THRESHOLD_BAND, noThresholdSpans, ratioAxisRange, scoreChart, scoreRatio, scoreTooltipLabel } from '../../../src/report/charts/index.ts';

const shading = { attacks: [], gaps: [] };

describe('score charts as score ÷ threshold', () => {
  it('divides by the threshold; infinite scores and thresholds ≤ 0 go to the top when they alarm, the floor when not', () => {
    assert.deepEqual(scoreRatio({ x: 0, score: 417_605, threshold: 3, alarm: true }), { y: 417_605 / 3 });
    assert.deepEqual(scoreRatio({ x: 0, score: 3, threshold: 3, alarm: true }), { y: 1 });
    assert.deepEqual(scoreRatio({ x: 0, score: 0.002, threshold: 4, alarm: false }), { y: null, clamped: 'floor' });
    assert.deepEqual(scoreRatio({ x: 0, score: 1, threshold: 0, alarm: true }), { y: null, clamped: 'top' });
    assert.deepEqual(scoreRatio({ x: 0, score: 0, threshold: 0, alarm: false }), { y: null, clamped: 'floor' });
    assert.deepEqual(scoreRatio({ x: 0, score: Infinity, threshold: 2, alarm: true }), { y: null, clamped: 'top' });
    assert.deepEqual(scoreRatio({ x: 0, score: Number.NaN, threshold: 2, alarm: false }), { y: null });
  });

  it('spans whole decades around the ratios, with 1 always inside', () => {
    assert.deepEqual(ratioAxisRange([0.25, 139_201]), { min: 0.1, max: 1e6 });
    assert.deepEqual(ratioAxisRange([0.004, 2]), { min: 0.001, max: 10 });
    assert.deepEqual(ratioAxisRange([1e-9, 0.5]), { min: 0.001, max: 10 });
    assert.deepEqual(ratioAxisRange([]), { min: 0.1, max: 10 });
  });

  it('draws ewma-like scores in the hundred-thousands and a threshold of 3 on one log axis, the limit at 1', () => {
    const points = [
      { x: 2, score: 0.6, threshold: 3, alarm: false },
      { x: 4, score: 417_605, threshold: 3, alarm: true },
      { x: 6, score: 0, threshold: 3, alarm: false },
    ];
    const config = scoreChart({ detector: 'ewma', color: '#000', points, shading, intervalSeconds: 2, xMax: 10 });
    const [line, limit, alarms] = config.data.datasets as { data: { x: number; y: number | null; score?: unknown }[] }[];
    const y = config.options!.scales!['y'] as { type: string; min: number; max: number };
    assert.deepEqual({ type: y.type, min: y.min, max: y.max }, { type: 'logarithmic', min: 0.1, max: 1e6 });
    assert.deepEqual(line!.data.map((p) => p.y), [0.6 / 3, 417_605 / 3, 0.1]);
    assert.deepEqual(line!.data.map((p) => p.score), [0.6, 417_605, 0]);
    assert.deepEqual(limit!.data, [{ x: 2, y: 1 }, { x: 6, y: 1 }]);
    assert.deepEqual(alarms!.data.map((p) => [p.x, p.y]), [[4, 417_605 / 3]]);
  });

  it('labels decades only, and tooltips carry the raw score and threshold', () => {
    assert.deepEqual([0.001, 0.01, 0.1, 1, 10, 100, 1000, 1e4, 1e5, 1e6].map(formatRatioTick), ['0.001', '0.01', '0.1', '1', '10', '100', '1000', '1e+4', '1e+5', '1e+6']);
    assert.equal(formatRatioTick(200_000), '');
    assert.equal(formatRatioTick(3), '');
    assert.equal(formatScore(417_605), '417605');
    assert.equal(formatScore(138_004.4), '1.38e+5');
    assert.equal(formatScore(0.000123), '1.23e-4');
    assert.equal(formatScore(2.99999), '3');
    assert.equal(scoreTooltipLabel({ raw: { x: 4, y: 139_201.67, score: 417_605, threshold: 3 }, dataset: { label: 'alarm' } }), 'alarm: score 417605, threshold 3 (÷ threshold = 1.39e+5)');
    assert.equal(scoreTooltipLabel({ raw: { x: 4, y: 10, score: 'Infinity', threshold: 0 }, dataset: { label: 'alarm' } }), 'alarm: score ∞, threshold 0');
  });
});

describe('intervals scored before a threshold existed', () => {
  it('are merged into spans (t − dt, t], touching ones across millisecond jitter, and shaded with a legend entry', () => {
    const nan = Number.NaN;
    const points = [
      { x: 10.004, score: 1, threshold: nan, alarm: false },
      { x: 15.009, score: 2, threshold: nan, alarm: false },
      { x: 20, score: 2, threshold: 4, alarm: false },
      { x: 25, score: nan, threshold: nan, alarm: false }, // nothing scored: not this case
      { x: 30, score: 3, threshold: nan, alarm: false },
    ];
    // By hand: (5.004, 10.004] and (10.009, 15.009] touch within 0.5 s; (25, 30] stands alone.
    assert.deepEqual(noThresholdSpans(points, 5), [
      { from: 5.004, to: 15.009 },
      { from: 25, to: 30 },
    ]);
    const config = scoreChart({ detector: 'path', color: '#000', points, shading, intervalSeconds: 5, xMax: 30 });
    const bands = (config.options!.plugins as { munninIntervalBands: { bands: { from: number; to: number; color: string }[] } }).munninIntervalBands.bands;
    assert.deepEqual(
      bands.filter((b) => b.color === NO_THRESHOLD_BAND).map((b) => [b.from, b.to]),
      [
        [5.004, 15.009],
        [25, 30],
      ],
    );
    assert.ok((config.data.datasets as { label?: string }[]).some((d) => d.label === 'scored, no threshold yet (no alarm possible)'));
    // The dashed limit only where there was one: the one point with a threshold (x = 20).
    const limit = (config.data.datasets as { label?: string; data: unknown[] }[]).find((d) => d.label === 'threshold (= 1)')!;
    assert.deepEqual(limit.data, [
      { x: 20, y: 1 },
      { x: 20, y: 1 },
    ]);
    const calibrated = scoreChart({ detector: 'path', color: '#000', points: [points[2]!], shading, intervalSeconds: 5, xMax: 30 });
    assert.ok(!(calibrated.data.datasets as { label?: string }[]).some((d) => d.label?.startsWith('scored, no threshold')));
  });
});
