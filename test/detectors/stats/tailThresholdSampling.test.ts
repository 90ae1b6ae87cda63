// The promise of TailThreshold by sample size: the EXPECTED realised false-alarm rate of a
// threshold fitted to n i.i.d. scores of a GEV law, the quantity Phien's margin is meant to hold
// at α (TailThreshold.threshold). Each replicate's realised rate is the exact survival function of
// the law the scores were drawn from, evaluated at the threshold (Hosking's parametrisation,
// written out here, not taken from the code under test); the mean over replicates estimates the
// expected rate to a few per cent of α. Independent scores are the easy case: a real stream adds
// serial dependence and drift, so a miss here is a floor under what short runs show (README "One
// knob", "Known limit of the calibration on short runs").

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TailThreshold } from '../../../src/detectors/stats/index.ts';
import { mulberry32 } from '../../../src/mulberry32.ts';

const RATE = 0.01;

/** x(F) of the standard GEV of shape k (Hosking: x = (1 − (−ln F)^k)/k; −ln(−ln F) at k = 0). */
function quantile(k: number, probability: number): number {
  const y = -Math.log(probability);
  return k === 0 ? -Math.log(y) : (1 - y ** k) / k;
}

/** P(X > x) = 1 − exp(−(1 − kx)^(1/k)) (1 − exp(−e^(−x)) at k = 0). */
function survival(k: number, x: number): number {
  if (k === 0) return -Math.expm1(-Math.exp(-x));
  const base = 1 - k * x;
  if (base <= 0) return k > 0 ? 0 : 1;
  return -Math.expm1(-(base ** (1 / k)));
}

/** Mean over `replicates` of the realised rate of a TailThreshold fed n scores of GEV(0, 1, k). */
function expectedRate(k: number, n: number, replicates: number, seed: number): number {
  const random = mulberry32(seed);
  let sum = 0;
  for (let r = 0; r < replicates; r++) {
    const t = new TailThreshold(RATE);
    for (let i = 0; i < n; i++) t.learn(quantile(k, (Math.floor(random() * 4294967296) + 0.5) / 4294967296));
    sum += survival(k, t.threshold());
  }
  return sum / replicates;
}

describe('TailThreshold: expected realised rate on i.i.d. GEV scores (falseAlarmRate 0.01)', () => {
  // Shapes: k = 0.1 a light tail (the largest of a few near-normal z's), 0 Gumbel, −0.2 and
  // −0.35 heavy (bursty traffic). Measured (3,000 replicates, standard error ~0.0001): 0.0104,
  // 0.0111, 0.0117 and 0.0121 at n = 300, the margin's plug-in of the fitted scale and shape
  // still short of the heavy tails' error; 1,500 replicates here.
  for (const k of [0.1, 0, -0.2, -0.35]) {
    test(`shape ${k}, 300 scores: within [0.8α, 1.25α]`, () => {
      const rate = expectedRate(k, 300, 1500, 300 + Math.round(k * 100));
      assert.ok(rate >= 0.8 * RATE && rate <= 1.25 * RATE, `expected realised rate ${rate.toFixed(5)} for α ${RATE}`);
    });
  }

  // At the sizes a 6-minute run calibrates on the three-parameter fit's sampling error is more
  // than Phien's two-parameter margin covers (measured, 20,000 replicates each, standard error
  // ≤ 0.0002): n = 20: 0.0082 (k = 0.1), 0.0126 (0), 0.0191 (−0.2), 0.0225 (−0.35); n = 50:
  // 0.0092, 0.0124, 0.0156, 0.0172; 3,000 replicates here. What was tried
  // against it, measured: docs/detector-experiments.md, "Known limit of the calibration on short runs".
  const SHORT_RUN_MISSES: Record<string, string> = {
    '20/0': 'measured 0.0126',
    '20/-0.2': 'measured 0.0191',
    '20/-0.35': 'measured 0.0225',
    '50/0': 'measured 0.0124 (at the bound: 3,000 replicates come out on either side of it)',
    '50/-0.2': 'measured 0.0156',
    '50/-0.35': 'measured 0.0172',
  };
  for (const n of [20, 50]) {
    for (const k of [0.1, 0, -0.2, -0.35]) {
      const todo = SHORT_RUN_MISSES[`${n}/${k}`];
      test(`shape ${k}, ${n} scores: at most 1.25α`, todo === undefined ? {} : { todo }, () => {
        const rate = expectedRate(k, n, 3000, n * 1000 + Math.round(k * 100));
        assert.ok(rate <= 1.25 * RATE, `expected realised rate ${rate.toFixed(5)} for α ${RATE}`);
        // Not blind either: a light tail keeps at least half the promised rate.
        assert.ok(rate >= 0.5 * RATE, `expected realised rate ${rate.toFixed(5)} for α ${RATE}`);
      });
    }
  }
});
