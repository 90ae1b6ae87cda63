import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart, ewma, FamilyLimit, pairRatio } from '../../../src/detectors/index.ts';
import { assertClose, handSnapshots, judgeSnapshots, type HandInterval } from '../../util.ts';

const close = (actual: number, expected: number) => assertClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)));

// Expected limits k_m = −Φ⁻¹(Φ̄(k)/m), computed outside this code base with Python's
// statistics.NormalDist: N = NormalDist(); -N.inv_cdf((1 - N.cdf(k)) / m).
const K3_M2 = 3.2051549205989316;
const K3_M57 = 4.068263295870674;
const K2_M4 = 2.530960494008707;
const K3_M5000 = 5.01154083724212;
const K3_M4 = 3.39955784447616;

test('FamilyLimit: Bonferroni limits match an independent computation; one series or `none` keep k', () => {
  const bonferroni = new FamilyLimit(3, 'bonferroni');
  close(bonferroni.limit(2), K3_M2);
  close(bonferroni.limit(57), K3_M57);
  close(bonferroni.limit(5000), K3_M5000);
  // Asked again after another m: only the last m's limit is kept, so m = 2 is computed anew, to the same value.
  close(bonferroni.limit(2), K3_M2);
  assert.equal(bonferroni.limit(1), 3);
  assert.equal(bonferroni.limit(0), 3);
  close(new FamilyLimit(2, 'bonferroni').limit(4), K2_M4);
  const none = new FamilyLimit(3, 'none');
  assert.equal(none.limit(57), 3);
  assert.equal(none.limit(1), 3);
});

// Edge a>b warms up on 10, 14, 12, 10, 14 (mean 12, sample σ 2: the first 5 active values, not
// scored) and then sends 18.2: z = 3.1, over k = 3 but under the two-series limit K3_M2.
// Edge c>d is flat at 5 (z = 0, σ floored at minStd 1).
const WARMUP = [10, 14, 12, 10, 14];
const twoEdges: HandInterval[] = [...WARMUP, 18.2].map((v) => ({ 'a>b': { request_bytes: v }, 'c>d': { request_bytes: 5 } }));

test('ewma multipleComparisons: bonferroni raises the threshold for two series; z = 3.1 alarms only without it', () => {
  const plain = judgeSnapshots(handSnapshots(twoEdges), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  close(plain[5]!.score, 3.1);
  assert.equal(plain[5]!.threshold, 3);
  assert.equal(plain[5]!.alarm, true);
  assert.deepEqual(plain[5]!.blamed.map((b) => `${b.src}>${b.dst}`), ['a>b']);

  const family = judgeSnapshots(handSnapshots(twoEdges), ewma({ lambda: 0.5, k: 3, multipleComparisons: 'bonferroni' }, { trainingSeconds: 5 }));
  close(family[5]!.score, 3.1);
  close(family[5]!.threshold, K3_M2);
  assert.equal(family[5]!.alarm, false);
  assert.deepEqual(family[5]!.blamed, []);
});

test('control-chart multipleComparisons: the same limit for a two-sided chart of two series', () => {
  const plain = judgeSnapshots(handSnapshots(twoEdges), controlChart({ windowIntervals: 5, k: 3 }, { trainingSeconds: 5 }));
  close(plain[5]!.score, 3.1);
  assert.equal(plain[5]!.alarm, true);
  const family = judgeSnapshots(handSnapshots(twoEdges), controlChart({ windowIntervals: 5, k: 3, multipleComparisons: 'bonferroni' }, { trainingSeconds: 5 }));
  close(family[5]!.threshold, K3_M2);
  assert.equal(family[5]!.alarm, false);
  assert.deepEqual(family[5]!.blamed, []);
});

test('multipleComparisons: m counts the series judged (warmed up), not those still warming up', () => {
  // c>d appears in the judged interval: it has no 5 active values yet, so only a>b is judged: m = 1, limit k.
  const late: HandInterval[] = [...WARMUP.map((v) => ({ 'a>b': { request_bytes: v } })), { 'a>b': { request_bytes: 18.2 }, 'c>d': { request_bytes: 5 } }];
  const v = judgeSnapshots(handSnapshots(late), ewma({ lambda: 0.5, k: 3, multipleComparisons: 'bonferroni' }, { trainingSeconds: 5 }));
  assert.equal(v[5]!.threshold, 3);
  assert.equal(v[5]!.alarm, true);
});

test('multipleComparisons: blamed edges are those over the raised limit, not over k', () => {
  // a>b: z = 5 (x = 22); e>f: z = 3.1 (x = 18.2); both warmed up on 10, 14, 12, 10, 14. c>d flat.
  // Three series: limit −Φ⁻¹(Φ̄(3)/3) = 3.3200752035216485 (same NormalDist computation).
  const three: HandInterval[] = [
    ...WARMUP.map((v) => ({ 'a>b': { request_bytes: v }, 'c>d': { request_bytes: 5 }, 'e>f': { request_bytes: v } })),
    { 'a>b': { request_bytes: 22 }, 'c>d': { request_bytes: 5 }, 'e>f': { request_bytes: 18.2 } },
  ];
  const v = judgeSnapshots(handSnapshots(three), ewma({ lambda: 0.5, k: 3, multipleComparisons: 'bonferroni' }, { trainingSeconds: 5 }));
  close(v[5]!.threshold, 3.3200752035216485);
  assert.equal(v[5]!.alarm, true);
  assert.deepEqual(v[5]!.blamed.map((b) => `${b.src}>${b.dst}`), ['a>b']);
});

test('pair-ratio multipleComparisons: m counts the series judged (ratios and denominators), not a ratio whose denominator was silent', () => {
  const pairs = [
    { numerator: { src: 'a', dst: 'b' }, denominator: { src: 'x', dst: 'y' } },
    { numerator: { src: 'c', dst: 'd' }, denominator: { src: 'u', dst: 'v' } },
  ];
  const row = (uv: number): HandInterval => ({ 'a>b': { request_bytes: 10 }, 'x>y': { request_bytes: 9 }, 'c>d': { request_bytes: 10 }, ...(uv > 0 ? { 'u>v': { request_bytes: uv } } : {}) });
  const v = judgeSnapshots(handSnapshots([row(9), row(9), row(9), row(9), row(9), row(9), row(0)]), pairRatio({ pairs, k: 3, multipleComparisons: 'bonferroni' }, { trainingSeconds: 5 }));
  // Both denominators carry traffic: two ratios and the two denominators' own volumes are judged.
  close(v[5]!.threshold, K3_M4);
  // u>v silent: c/d has no ratio, and u>v's silence is not judged (it has been active only 6 of
  // its intervals, activity 1 − 0.9⁶ < 0.9): a/b and x>y remain.
  close(v[6]!.threshold, K3_M2);
});
