// Peaks over threshold (src/detectors/stats/gpd.ts) and the `peaks` law of TailThreshold.
// Expected values are worked by hand from the L-moment formulas (Hosking & Wallis 1987) or are
// the closed-form quantiles of the law the sample was built from.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { peaksMeanExcess, peaksQuantile, peaksTail } from '../../../src/detectors/stats/gpd.ts';
import { TailThreshold } from '../../../src/detectors/stats/tailThreshold.ts';
import { seededRandom } from '../../util.ts';

describe('peaksTail', () => {
  test('excesses 1, 2, …, 30 over a level of 0: λ1 = 15.5, λ2 = 31/6, shape 1 clamped to 0 (exponential), σ = λ1', () => {
    // 31 values 0 … 30: the 30 excesses are over the 31st largest, 0. By hand: λ1 = mean = 15.5;
    // b1 = Σ (i + 1)·i / (30·29) over i = 0 … 29 = (8555 + 435)/870 = 10.333…; λ2 = 2b1 − λ1 = 31/6;
    // k = λ1/λ2 − 2 = 1 (a bounded, uniform-like tail), kept at 0; σ = (1 + 0)·λ1 = 15.5.
    const sorted = Float64Array.from({ length: 31 }, (_, i) => i);
    const tail = peaksTail(sorted, 31)!;
    assert.equal(tail.level, 0);
    assert.equal(tail.excesses, 30);
    assert.ok(Math.abs(tail.rate - 30 / 31) < 1e-15);
    assert.equal(tail.shape, 0);
    assert.ok(Math.abs(tail.scale - 15.5) < 1e-12, `scale ${tail.scale}`);
    assert.ok(Math.abs(tail.meanExcess - 15.5) < 1e-12);
    // The exponential excess quantile: P(X > x) = (30/31)·exp(−(x − 0)/15.5) = 0.01 ⇒ x = 15.5·ln(30/0.31).
    assert.ok(Math.abs(peaksQuantile(tail, 0.01) - 15.5 * Math.log(30 / 0.31)) < 1e-9);
    // Memoryless: the mean excess over any level of an exponential tail is its scale.
    assert.ok(Math.abs(peaksMeanExcess(tail, 40) - 15.5) < 1e-12);
  });

  test('excesses 1², 2², …, 30² over 0: λ1 = 1891/6, λ2 = 961/6, shape −1/31 (not clamped), σ = 305', () => {
    // 31 values 0, 1, 4, …, 900: the excesses over 0 are j², j = 1 … 30, at ascending ranks i = j − 1.
    // By hand: Σ j² = 9455, λ1 = 9455/30 = 1891/6; b1 = Σ j²(j − 1)/(30·29) = (Σ j³ − Σ j²)/870
    // = (465² − 9455)/870 = 713/3; λ2 = 2b1 − λ1 = 961/6; shape = λ1/λ2 − 2 = 1891/961 − 2 = −1/31;
    // σ = (1 − 1/31)·1891/6 = 305.
    const sorted = Float64Array.from({ length: 31 }, (_, i) => i * i);
    const tail = peaksTail(sorted, 31)!;
    assert.equal(tail.excesses, 30);
    assert.ok(Math.abs(tail.meanExcess - 1891 / 6) < 1e-9, `λ1 ${tail.meanExcess}`);
    assert.ok(Math.abs(tail.shape - -1 / 31) < 1e-12, `shape ${tail.shape}`);
    assert.ok(Math.abs(tail.scale - 305) < 1e-9, `scale ${tail.scale}`);
    // Its quantile from the GPD formula: level + σ(1 − q^k)/k, q = 0.01/(30/31).
    const q = 0.01 / (30 / 31);
    assert.ok(Math.abs(peaksQuantile(tail, 0.01) - (305 * (1 - q ** (-1 / 31))) / (-1 / 31)) < 1e-9);
  });

  test('a heavy tail is recovered: excesses at the quantiles of a generalized Pareto law of shape −0.3 and scale 2', () => {
    // 1,800 bulk values (the last at the level, 10), then 200 excesses y(F) = σ(1 − (1 − F)^k)/k at F = (j + ½)/200.
    // The population's λ1/λ2 − 2 is k exactly (λ1 = σ/(1 + k), λ2 = σ/((1 + k)(2 + k))).
    const k = -0.3;
    const sigma = 2;
    const values: number[] = [];
    for (let i = 0; i < 1799; i++) values.push(10 * (i / 1799));
    values.push(10);
    for (let j = 0; j < 200; j++) values.push(10 + (sigma * (1 - (1 - (j + 0.5) / 200) ** k)) / k);
    const sorted = Float64Array.from(values).sort();
    const tail = peaksTail(sorted, sorted.length)!; // n = 2,000: 200 excesses over the 201st largest (10)
    assert.equal(tail.excesses, 200);
    assert.equal(tail.level, 10);
    // A quantile grid's sample L-moments approach the population's; the tolerance is the grid's discreteness.
    assert.ok(Math.abs(tail.shape - k) < 0.03, `shape ${tail.shape}`);
    assert.ok(Math.abs(tail.scale - sigma) / sigma < 0.05, `scale ${tail.scale}`);
    // The 1 − 0.001 point: P(X > x) = 0.1·P(Y > x − 10) = 0.001 ⇒ x = 10 + σ(1 − 0.01^k)/k.
    const exact = 10 + (sigma * (1 - 0.01 ** k)) / k;
    assert.ok(Math.abs(peaksQuantile(tail, 0.001) - exact) / (exact - 10) < 0.08, `${peaksQuantile(tail, 0.001)} against ${exact}`);
  });

  test('all excesses equal: no spread, the quantile is the top value', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => (i < 70 ? i / 70 : 5));
    const tail = peaksTail(sorted, 100)!; // 30 excesses over a level of 69/70, all of 5 − 69/70
    assert.equal(tail.level, 69 / 70);
    assert.equal(tail.scale, 0);
    assert.ok(Math.abs(peaksQuantile(tail, 0.01) - 5) < 1e-12);
    assert.equal(peaksMeanExcess(tail, 5), 0);
  });

  test('values tied at the level are bulk, not zero excesses; fewer than 30 strictly above it: no fit', () => {
    // 1,000 values: 950 tied at 0, then 50 at 1 … 50. The level (the 101st largest) is 0, and the
    // excesses are the 50 values strictly above it, at a rate of 50/1,000.
    const tied = Float64Array.from({ length: 1000 }, (_, i) => (i < 950 ? 0 : i - 949));
    const tail = peaksTail(tied, 1000)!;
    assert.equal(tail.level, 0);
    assert.equal(tail.excesses, 50);
    assert.equal(tail.rate, 0.05);
    assert.equal(tail.meanExcess, 25.5);
    // 980 tied, 20 above: too few excesses to fit.
    assert.equal(peaksTail(Float64Array.from({ length: 1000 }, (_, i) => (i < 980 ? 0 : i - 979)), 1000), undefined);
  });
});

describe('TailThreshold with the peaks law', () => {
  // Scores as a learned model's log-odds can come: 90 % at one value (nothing moved), the rest an
  // exponential tail above it. The true 1 − α point for α = 0.01 is −3.4 + ln(0.1/0.01).
  const bulk = -3.4;
  const trueQuantile = bulk + Math.log(10);

  test('the threshold of a window of that law is its 1 − α point (plus the sampling margin σL²/2k)', () => {
    // 1,000 scores at their law's quantiles: 900 at −3.4, 100 at −3.4 + Exp(1)'s quantiles. Learnt
    // largest first, so none exceeds the threshold of those before it and each is learnt as it is
    // (an exceedance would be learnt at its expected size instead).
    const scores = [...Array.from({ length: 900 }, () => bulk), ...Array.from({ length: 100 }, (_, j) => bulk - Math.log(1 - (j + 0.5) / 100))];
    scores.sort((a, b) => b - a);
    const peaks = new TailThreshold(0.01, 1000, 2, 'peaks');
    for (const s of scores) peaks.learn(s);
    assert.equal(peaks.samples, 1000);
    // Margin: σ ≈ 1, L = ln(0.1/0.01), 100 excesses: ln(10)²/200 ≈ 0.027. The grid's mean excess is 1 − 0.003.
    const expected = trueQuantile + Math.log(10) ** 2 / 200;
    // Within 0.01: a threshold without the margin (0.027) would fail.
    assert.ok(Math.abs(peaks.threshold() - expected) < 0.01, `peaks threshold ${peaks.threshold()} against ${expected}`);
  });

  test('on a stream of that law the realised exceedance rate is α', () => {
    const random = seededRandom(17);
    const t = new TailThreshold(0.01, 1000, 2, 'peaks');
    let judged = 0;
    let exceeded = 0;
    for (let i = 0; i < 20_000; i++) {
      // The bulk jittered by 0.001: exactly tied scores meet the extreme-value law's point-mass start (README "One knob").
      const s = random() < 0.9 ? bulk + 0.001 * random() : bulk - Math.log(1 - random());
      const threshold = t.threshold();
      if (i >= 1000 && !Number.isNaN(threshold)) {
        judged++;
        if (s > threshold) exceeded++;
      }
      t.learn(s);
    }
    // 19,000 judged intervals: the binomial spread at 0.01 is ±0.0007; [0.008, 0.012] is about ±3 of them.
    const rate = exceeded / judged;
    assert.ok(rate > 0.008 && rate < 0.012, `realised rate ${rate}`);
  });

  test('with the bulk exactly tied (95 % of the window at one value) the threshold is the tail\'s 1 − α point', () => {
    // 950 scores at −3.4 exactly and 50 at −3.4 + Exp(1)'s quantiles, learnt largest first (none
    // is an exceedance). The tail above the tie holds 5 % of the window, so the 1 − α point is
    // −3.4 + ln(0.05/0.01) (plus a margin of ln(5)²/100 ≈ 0.026). Were the tied scores counted as
    // zero excesses (50 of the top 100), the fitted tail would be half as wide and the threshold
    // near −3.4 + 0.5·ln(10) ≈ −2.25.
    const scores = [...Array.from({ length: 950 }, () => bulk), ...Array.from({ length: 50 }, (_, j) => bulk - Math.log(1 - (j + 0.5) / 50))];
    scores.sort((a, b) => b - a);
    const t = new TailThreshold(0.01, 1000, 2, 'peaks');
    for (const s of scores) t.learn(s);
    const expected = bulk + Math.log(5) + Math.log(5) ** 2 / 100;
    assert.ok(Math.abs(t.threshold() - expected) < 0.05, `threshold ${t.threshold()} against ${expected}`);
  });
});
