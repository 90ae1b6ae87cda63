import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoveltyLimit } from '../../../src/detectors/new-edge/noveltyLimit.ts';
import { MIN_CALIBRATION_SCORES } from '../../../src/detectors/stats/index.ts';
import { seededRandom } from '../../util.ts';

test('NoveltyLimit: where novelty is rare (a mesh whose training found a late call or two) the rule holds: any novelty alarms', () => {
  const limit = new NoveltyLimit(0.01);
  // 29 training scores, two of them 1: P(Bin(29, 0.01) ≥ 2) = 0.034, not evidence of common novelty.
  for (let i = 0; i < 29; i++) limit.learnTraining(i === 5 || i === 17 ? 1 : 0);
  assert.equal(limit.limit(), 0);
  // An attack repeating a new edge 50 times is never learnt under the rule: still 0.
  for (let i = 0; i < 50; i++) {
    assert.equal(limit.limit(), 0);
    limit.learnScored(3, 0);
  }
  assert.equal(limit.limit(), 0);
});

test('NoveltyLimit: where novelty is common (a connection log) the threshold is calibrated, and keeps its promise', () => {
  const random = seededRandom(7);
  // Poisson(30) new pairs a minute, by inversion.
  const poisson = () => {
    let k = 0;
    let p = Math.exp(-30);
    let cdf = p;
    const u = random();
    while (u > cdf) p *= 30 / ++k, (cdf += p);
    return k;
  };
  const limit = new NoveltyLimit(0.01);
  for (let i = 0; i < 300; i++) limit.learnTraining(poisson());
  const first = limit.limit();
  // The 0.99 point of Poisson(30) is 43: the threshold sits near it, far above the rule's 0.
  assert.ok(first > 35 && first < 60, `threshold ${first}`);
  let alarms = 0;
  const n = 5000;
  for (let i = 0; i < n; i++) {
    const score = poisson();
    const threshold = limit.limit();
    if (score > threshold) alarms++;
    limit.learnScored(score, threshold);
  }
  assert.ok(alarms / n <= 0.02 && alarms / n >= 0.002, `realised false-alarm rate ${alarms / n}`);
});

test('NoveltyLimit: a one-interval training (the 60-s default on a one-minute log) warms up on its first scores instead of alarming forever', () => {
  const limit = new NoveltyLimit(0.01);
  let alarms = 0;
  for (let i = 0; i < 200; i++) {
    const score = 25 + (i % 11);
    const threshold = limit.limit();
    if (score > threshold) alarms++;
    limit.learnScored(score, threshold);
  }
  // The first MIN_CALIBRATION_SCORES (nothing to calibrate yet) alarm under the rule; scores 25-35 then stay below.
  assert.ok(alarms >= MIN_CALIBRATION_SCORES && alarms <= MIN_CALIBRATION_SCORES + 4, `alarms ${alarms}`);
  assert.ok(limit.limit() >= 35);
});
