import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gevFromLMoments, gevQuantile, sampleLMoments, TailThreshold, type Gev } from '../../../src/detectors/stats/index.ts';

/**
 * TailThreshold's promise written out the plain way: the window's scores re-sorted and their
 * L-moments summed afresh at every interval (gev.ts's sampleLMoments), the same fit, margin and
 * cap on learning. TailThreshold keeps the sums up to date as the window slides instead.
 */
class PlainThreshold {
  private readonly scores: number[] = [];
  constructor(
    private readonly rate: number,
    private readonly window: number,
  ) {}
  private fit(): Gev | undefined {
    const n = this.scores.length;
    if (n < 8) return undefined;
    const sorted = Float64Array.from(this.scores).sort();
    const { l1, l2, t3 } = sampleLMoments(sorted, n);
    return l2 > 0 ? gevFromLMoments(l1, l2, t3) : { location: l1 + 1e-9 * Math.max(1, Math.abs(l1)), scale: 0, shape: 0 };
  }
  threshold(): number {
    const gev = this.fit();
    if (gev === undefined) return Number.NaN;
    const y = -Math.log(-Math.log(1 - this.rate));
    return gevQuantile(gev, 1 - this.rate) + (gev.scale * (1.1128 + 0.4574 * y + 0.8046 * y * y)) / (2 * this.scores.length);
  }
  learn(score: number): void {
    const gev = this.fit();
    if (gev !== undefined) {
      const u = this.threshold();
      const scale = gev.scale - gev.shape * (u - gev.location);
      if (score > u) score = u + (scale > 0 ? scale / (1 + gev.shape) : 0);
    }
    this.scores.push(score);
    if (this.scores.length > this.window) this.scores.shift();
  }
}

function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
}

function compare(window: number, intervals: number, score: (i: number) => number): void {
  const tail = new TailThreshold(0.01, window);
  const plain = new PlainThreshold(0.01, window);
  let compared = 0;
  for (let i = 0; i < intervals; i++) {
    const expected = plain.threshold();
    const actual = tail.threshold();
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual), `interval ${i}: ${actual}, expected NaN`);
    else {
      assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `interval ${i}: ${actual}, expected ${expected}`);
      compared++;
    }
    const x = score(i);
    tail.learn(x);
    plain.learn(x);
  }
  assert.ok(compared > intervals - 10);
}

test('TailThreshold: the sliding window\'s sums give the threshold that summing afresh gives, heavy tails and bursts', () => {
  const random = seeded(11);
  // Pareto(1.5) scores with a level shift and bursts (some capped when learnt), window 1000 and 50.
  const pareto = (i: number) => (i > 2500 ? 3 : 1) * random() ** (-1 / 1.5) + (i % 97 === 0 ? 50 : 0);
  compare(1000, 6000, pareto);
  compare(50, 3000, pareto);
});

test('TailThreshold: scores far from 0 (1e6 ± a few) and ties keep their digits', () => {
  const random = seeded(5);
  compare(1000, 4000, () => 1e6 - Math.log(-Math.log(random())) * 3);
  // Repeated values: many ties among the ranks moved.
  compare(200, 2000, () => Math.floor(random() * 6));
});

test('TailThreshold: a constant statistic is a point mass just above it, before and after it slides', () => {
  const tail = new TailThreshold(0.01, 100);
  for (let i = 0; i < 350; i++) tail.learn(0.1);
  assert.equal(tail.threshold(), 0.1 + 1e-9);
  for (let i = 0; i < 350; i++) tail.learn(0);
  assert.equal(tail.threshold(), 1e-9);
});
