import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { pcaSubspace, pcaSubspaceOptionsSchema } from '../../../src/detectors/pca-subspace/pcaSubspace.ts';
import { fitPca } from '../../../src/detectors/pca-subspace/pcaSubspaceModel.ts';
import { MIN_CALIBRATION_SCORES } from '../../../src/detectors/stats/index.ts';
import type { Snapshot, Verdict } from '../../../src/types.ts';
import { assertClose, captureLog, handSnapshots, judgeSnapshots, seededRandom, syntheticMesh, type HandInterval } from '../../util.ts';

/** One interval from per-edge volumes ("src>dst" → bytes). */
function interval(volumes: Readonly<Record<string, number>>): HandInterval {
  return Object.fromEntries(Object.entries(volumes).map(([edge, bytes]) => [edge, { request_bytes: bytes }]));
}

// Training volumes on a>b, a>c: (12,12), (8,8), (11,9), (9,11). Mean (10,10); centred
// (2,2), (−2,−2), (1,−1), (−1,1); covariance (÷3) [[10/3, 2], [2, 10/3]] with eigenvalues
// 16/3 along (1,1)/√2 and 4/3 along (1,−1)/√2.
const TRAINING = [
  { 'a>b': 12, 'a>c': 12 },
  { 'a>b': 8, 'a>c': 8 },
  { 'a>b': 11, 'a>c': 9 },
  { 'a>b': 9, 'a>c': 11 },
];
const handOptions = { transform: 'none' as const, components: 1, alpha: 0.001, metrics: ['request_bytes'] };

/** δ²_α for residual eigenvalues, from Jackson and Mudholkar's formula as Lakhina prints it (h0 > 0 here). */
function jacksonMudholkar(lambdas: readonly number[], c: number): number {
  const phi = [1, 2, 3].map((i) => lambdas.reduce((s, l) => s + l ** i, 0)) as [number, number, number];
  const h0 = 1 - (2 * phi[0] * phi[2]) / (3 * phi[1] ** 2);
  return phi[0] * ((c * Math.sqrt(2 * phi[1] * h0 * h0)) / phi[0] + 1 + (phi[1] * h0 * (h0 - 1)) / phi[0] ** 2) ** (1 / h0);
}
const C_999 = 3.090232306167813; // 0.999 normal quantile (table)

describe('pca-subspace: the method by hand', () => {
  it('SPE = ‖(I − PPᵀ)(x − mean)‖² and the Q-statistic limit (covariance path, n > m)', () => {
    const verdicts = judgeSnapshots(
      handSnapshots([...TRAINING, { 'a>b': 13, 'a>c': 11 }, { 'a>b': 14, 'a>c': 14 }].map(interval)),
      pcaSubspace(handOptions, { trainingSeconds: 4 }),
    );
    const limit = jacksonMudholkar([4 / 3], C_999);
    // x − mean = (3, 1); its part along (1,1)/√2 is (2, 2): residual (1, −1), SPE 2.
    assertClose(verdicts[4]!.score, 2, 1e-12, 'SPE');
    assertClose(verdicts[4]!.threshold, limit, 1e-9 * limit, 'δ²');
    // (4, 4) lies in the normal subspace: SPE 0, whatever its size.
    assertClose(verdicts[5]!.score, 0, 1e-12, 'SPE in subspace');
    // One residual eigenvalue: SPE/(4/3) ~ χ²_1, whose 0.999 point is 10.828 (table).
    assertClose(limit, (4 / 3) * 10.828, 0.05 * (4 / 3) * 10.828, 'δ² vs exact');
  });

  it('gives the same model through the Gram matrix (n ≤ m) with constant edges added', () => {
    const training = TRAINING.map((v) => ({ ...v, 'a>d': 5, 'a>e': 5 }));
    const verdicts = judgeSnapshots(
      handSnapshots([...training, { 'a>b': 13, 'a>c': 11, 'a>d': 5, 'a>e': 5 }].map(interval)),
      pcaSubspace(handOptions, { trainingSeconds: 4 }),
    );
    const limit = jacksonMudholkar([4 / 3], C_999);
    assertClose(verdicts[4]!.score, 2, 1e-12, 'SPE');
    assertClose(verdicts[4]!.threshold, limit, 1e-9 * limit, 'δ²');
  });

  it('puts an edge that appears after training wholly in the residual', () => {
    // At the mean on the known edges; a never-seen a>z carries 7: SPE = 7².
    const verdicts = judgeSnapshots(
      handSnapshots([...TRAINING, { 'a>b': 10, 'a>c': 10, 'a>z': 7 }].map(interval)),
      pcaSubspace(handOptions, { trainingSeconds: 4 }),
    );
    assertClose(verdicts[4]!.score, 49, 1e-12);
  });

  it('blames an edge the model does not know with its whole share of the SPE', () => {
    const verdicts = judgeSnapshots(
      handSnapshots([...TRAINING, { 'a>b': 10, 'a>c': 10, 'a>z': 30 }].map(interval)),
      pcaSubspace(handOptions, { trainingSeconds: 4 }),
    );
    // Residual (0, 0, 30), SPE 900; a>z lies outside the model: C̃_zz = 1, score 30²/1/900 = 1.
    assert.ok(verdicts[4]!.alarm);
    assert.deepEqual(verdicts[4]!.blamed, [{ src: 'a', dst: 'z', metric: 'request_bytes', score: 1 }]);
  });

  it("blames by Lakhina's criterion r_j²/C̃_jj (share of SPE), which can rank a smaller residual first", () => {
    // a>d constant 5 in training (no variance): the normal axis stays (1, 1, 0)/√2, so
    // C̃ = I − PPᵀ has C̃_bb = C̃_cc = 1/2 and C̃_dd = 1. x = (18, 10, 10): x − mean = (8, 0, 5),
    // its normal part (4, 4, 0), residual (4, −4, 5), SPE 16 + 16 + 25 = 57.
    // Raw shares would rank d first (25/57); Lakhina's: b and c 16/(1/2)/57 = 32/57, d 25/57.
    const training = TRAINING.map((v) => ({ ...v, 'a>d': 5 }));
    const verdicts = judgeSnapshots(
      handSnapshots([...training, { 'a>b': 18, 'a>c': 10, 'a>d': 10 }].map(interval)),
      pcaSubspace(handOptions, { trainingSeconds: 4 }),
    );
    const judged = verdicts[4]!;
    assertClose(judged.score, 57, 1e-9, 'SPE');
    assert.ok(judged.alarm, `SPE ${judged.score} vs ${judged.threshold}`);
    assert.deepEqual(new Set(judged.blamed.slice(0, 2).map((b) => b.dst)), new Set(['b', 'c']));
    assert.equal(judged.blamed[2]?.dst, 'd');
    assertClose(judged.blamed[0]!.score, 32 / 57, 1e-9, 'b/c');
    assertClose(judged.blamed[1]!.score, 32 / 57, 1e-9, 'b/c');
    assertClose(judged.blamed[2]!.score, 25 / 57, 1e-9, 'd');
  });

  it('calibrated by default (no alpha): no threshold while the held-out training SPEs are fewer than MIN_CALIBRATION_SCORES', () => {
    // Four training intervals: four held-out SPEs (one per fold), fewer than MIN_CALIBRATION_SCORES: never an alarm,
    // however large the SPE (a never-seen edge carrying 1e6: SPE 1e12).
    assert.ok(MIN_CALIBRATION_SCORES > TRAINING.length);
    const few = judgeSnapshots(
      handSnapshots([...TRAINING, { 'a>b': 10, 'a>c': 10, 'a>z': 1e6 }].map(interval)),
      pcaSubspace({ transform: 'none', components: 1, metrics: ['request_bytes'] }, { trainingSeconds: 4 }),
    );
    assertClose(few[4]!.score, 1e12, 1e-3);
    assert.ok(Number.isNaN(few[4]!.threshold));
    assert.equal(few[4]!.alarm, false);
    // TRAINING repeated until there are MIN_CALIBRATION_SCORES held-out SPEs: a finite threshold, and the same SPE alarms.
    const repeats = Math.ceil(MIN_CALIBRATION_SCORES / TRAINING.length);
    const n = repeats * TRAINING.length;
    const enough = judgeSnapshots(
      handSnapshots([...Array.from({ length: repeats }, () => TRAINING).flat(), { 'a>b': 10, 'a>c': 10, 'a>z': 1e6 }].map(interval)),
      pcaSubspace({ transform: 'none', components: 1, metrics: ['request_bytes'] }, { trainingSeconds: n }),
    );
    assert.ok(Number.isFinite(enough[n]!.threshold));
    assert.ok(enough[n]!.alarm);
  });

  it('a new edge listed 5 intervals in a row (under typical: each within forgetAfterSeconds of the last) is a new normal: a coordinate of its own centred on its mean, learnt on quiet intervals', () => {
    // Known edges at their mean (10, 10) throughout: SPE is the new edges' part alone. δ² ≈ 14.4 (fixed, alpha).
    const at = (extra: Record<string, number>) => ({ 'a>b': 10, 'a>c': 10, ...extra });
    const after = [
      // a>y: 7 in four intervals, one without it, 7 again: all residual (49). Under 'typical' the
      // one-interval gap is within forgetAfterSeconds: its 5th listing makes it a new normal (mean
      // 7) and the silence layer learns it there (level 7), so its silences from then on read 7,
      // residual 0. Under 'zero' the streak starts over and its silences read 0, not listed.
      ...[1, 2, 3, 4].map(() => at({ 'a>y': 7 })),
      at({}),
      at({ 'a>y': 7 }),
      // a>z: 7 in five intervals in a row (SPE 49, alarms), then a new normal of mean 7; the
      // silence layer learns it at its 5th alarm, at level 7.
      at({ 'a>z': 7 }),
      ...[1, 2, 3, 4].map(() => at({ 'a>z': 7 })),
      at({ 'a>z': 9 }), // residual 9 − 7 = 2: SPE 4, no alarm, so 9 is learnt: mean (5·7 + 9)/6 = 22/3; level 7 + 0.2·(9 − 7) = 37/5
      at({ 'a>z': 9 }), // residual 9 − 22/3 = 5/3: SPE 25/9; learnt: mean (35 + 18)/7 = 53/7; level 37/5 + 0.2·(9 − 37/5) = 193/25
      at({ 'a>z': 60 }), // an alarm (residual 60 − 53/7 = 367/7): not learnt, blamed
      at({}), // silent: 'typical' reads it at its level learnt (193/25): residual 193/25 − 53/7 = 26/175
    ];
    const v = judgeSnapshots(handSnapshots([...TRAINING, ...after].map(interval)), pcaSubspace(handOptions, { trainingSeconds: 4 }));
    const scores = v.slice(4).map((x) => x.score);
    const expected = [49, 49, 49, 49, 0, 49, 49, 49, 49, 49, 49, 4, 25 / 9, (367 / 7) ** 2, (26 / 175) ** 2];
    expected.forEach((s, k) => assertClose(scores[k]!, s, 1e-9 * Math.max(1, s), `interval ${k + 4}`));
    assert.deepEqual(v[4 + 13]!.blamed, [{ src: 'a', dst: 'z', metric: 'request_bytes', score: 1 }]);
    // silentEdges 'zero' (the paper): a>y never becomes normal (were it, its silences would read 0,
    // residual −7, and add 49 from interval 10 on); a>z's silence reads 0, residual −53/7, as a
    // training edge's silence does.
    const zero = judgeSnapshots(handSnapshots([...TRAINING, ...after].map(interval)), pcaSubspace({ ...handOptions, silentEdges: 'zero' }, { trainingSeconds: 4 }));
    const zeroExpected = [...expected.slice(0, -1), (53 / 7) ** 2];
    zeroExpected.forEach((s, k) => assertClose(zero[4 + k]!.score, s, 1e-9 * Math.max(1, s), `'zero', interval ${k + 4}`));
  });

  it("under 'typical', a new edge's listings further apart than forgetAfterSeconds start its streak over", () => {
    // forgetAfterSeconds 2, 1-s intervals. a>y: 7 in four intervals, silent for two (its next
    // listing 3 s after the last), 7 in five more: the streak starts over at the 7th interval and
    // reaches 5 at the 11th, all residual (49). A new normal of mean 7 from then on (a 9: residual 2).
    const at = (extra: Record<string, number>) => ({ 'a>b': 10, 'a>c': 10, ...extra });
    const after = [...[1, 2, 3, 4].map(() => at({ 'a>y': 7 })), at({}), at({}), ...[1, 2, 3, 4, 5].map(() => at({ 'a>y': 7 })), at({ 'a>y': 9 })];
    const v = judgeSnapshots(handSnapshots([...TRAINING, ...after].map(interval)), pcaSubspace({ ...handOptions, forgetAfterSeconds: 2 }, { trainingSeconds: 4 }));
    const expected = [49, 49, 49, 49, 0, 0, 49, 49, 49, 49, 49, 4];
    expected.forEach((s, k) => assertClose(v[4 + k]!.score, s, 1e-9 * Math.max(1, s), `interval ${k + 4}`));
  });

  it("a training edge that stops: under 'typical' read at its level, once forgotten at its training mean (nothing residual); under 'zero' a 0", () => {
    // a>d carries 5 in every training interval: mean 5, no variance, so the normal axis stays
    // (1, 1, 0)/√2 and a>d's deviation is all residual. It stops after training; a>b, a>c go on.
    const training = TRAINING.map((v) => ({ ...v, 'a>d': 5 }));
    const after = [
      ...[1, 2, 3, 4].map(() => ({ 'a>b': 10, 'a>c': 10 })),
      { 'a>b': 13, 'a>c': 11 }, // (3, 1, ·) − mean: normal part (2, 2, 0), residual (1, −1, ·)
    ];
    // Intervals 1 s apart, a>d last heard at t = 4; forgotten past 2 s, so from t = 7 (interval 6) on.
    const options = { ...handOptions, forgetAfterSeconds: 2 };
    const typical = judgeSnapshots(handSnapshots([...training, ...after].map(interval)), pcaSubspace(options, { trainingSeconds: 4 }));
    // Its level (5, all training values 5), then its mean (5): a>d's residual is 0 throughout.
    [0, 0, 0, 0, 2].forEach((s, k) => assertClose(typical[4 + k]!.score, s, 1e-9, `typical, interval ${4 + k}`));
    assert.ok(typical.slice(4).every((v) => !v.alarm));
    // 'zero' (the paper): the silence is an observation of 0, residual −5 on a>d (25), from the first silent interval.
    const zero = judgeSnapshots(handSnapshots([...training, ...after].map(interval)), pcaSubspace({ ...options, silentEdges: 'zero' }, { trainingSeconds: 4 }));
    [25, 25, 25, 25, 27].forEach((s, k) => assertClose(zero[4 + k]!.score, s, 1e-9 * s, `zero, interval ${4 + k}`));
  });
});

describe('fitPca', () => {
  it("Lakhina's 3σ rule: an axis whose training projection strays beyond 3σ starts the residual", () => {
    // 20 points on the diagonal, one far out: its projection 9.5√2 ≈ 13.4 exceeds 3σ = 3√10 ≈ 9.5.
    const spike = Array.from({ length: 20 }, (_, i) => {
      const t = i === 0 ? 10 : 0;
      const s = i % 2 ? 0.1 : -0.1;
      return Float64Array.of(t + s, t - s);
    });
    assert.equal(fitPca(spike, { components: 'three-sigma', alpha: 0.01, shrinkage: 0 }).axes.length, 0);
    // Evenly spread along the diagonal: no axis fires; r is capped at rank − 1 = 1.
    const even = Array.from({ length: 20 }, (_, i) => {
      const s = i % 2 ? 0.1 : -0.1;
      return Float64Array.of(i + s, i - s);
    });
    const model = fitPca(even, { components: 'three-sigma', alpha: 0.01, shrinkage: 0 });
    assert.equal(model.rank, 2);
    assert.equal(model.axes.length, 1);
  });

  it('caps a fixed r below the rank', () => {
    const samples = TRAINING.map((v) => Float64Array.of(v['a>b'], v['a>c']));
    assert.equal(fitPca(samples, { components: 5, alpha: 0.01, shrinkage: 0 }).axes.length, 1);
  });

  for (const [m, n] of [
    [6, 10],
    [12, 6],
  ] as const) {
    it(`Ledoit–Wolf intensity matches the dense formula and keeps the trace (m = ${m}, n = ${n})`, () => {
      const random = seededRandom(m * 100 + n);
      const samples = Array.from({ length: n }, () => Float64Array.from({ length: m }, (_, j) => (j + 1) * random() + (j % 3) * random()));
      // Dense reference: S = (1/n)Σ ccᵀ, μ = tr S/m, d² = ‖S − μI‖², b̄² = (1/n²)Σ‖ccᵀ − S‖².
      const mean = new Array<number>(m).fill(0);
      for (const x of samples) for (let j = 0; j < m; j++) mean[j]! += x[j]! / n;
      const centred = samples.map((x) => Array.from(x, (v, j) => v - mean[j]!));
      const s = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => centred.reduce((acc, c) => acc + c[a]! * c[b]!, 0) / n));
      const trace = s.reduce((acc, row, a) => acc + row[a]!, 0);
      const mu = trace / m;
      let d2 = 0;
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) d2 += (s[a]![b]! - (a === b ? mu : 0)) ** 2;
      let b2 = 0;
      for (const c of centred) for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) b2 += (c[a]! * c[b]! - s[a]![b]!) ** 2;
      b2 /= n * n;
      const expected = Math.min(b2, d2) / d2;
      const model = fitPca(samples, { components: 0, alpha: 0.01, shrinkage: 'ledoit-wolf' });
      assertClose(model.shrinkage, expected, 1e-10, 'intensity');
      // With r = 0 every eigenvalue is residual, and shrinking towards μI keeps the trace (÷(n−1) covariance).
      assertClose(model.moments.phi1, (trace * n) / (n - 1), 1e-9 * trace, 'φ1 = tr S');
      // s = 1: all m residual eigenvalues are μ: φ2 = m μ².
      const full = fitPca(samples, { components: 0, alpha: 0.01, shrinkage: 1 });
      assertClose(full.moments.phi2, m * ((trace * n) / (n - 1) / m) ** 2, 1e-9 * full.moments.phi2, 'φ2 at s = 1');
    });
  }
});

describe('pca-subspace on a synthetic mesh', () => {
  const attacks = (i: number): Record<string, number> =>
    i === 80
      ? { 'external>front-end': 400_000, 'front-end>user': 400_000, 'user>user-db': 400_000 }
      : i === 100
        ? { 'user>attacker-sink': 400_000 }
        : {};
  const verdicts = judgeSnapshots(syntheticMesh(150, 1, attacks), pcaSubspace({}, { trainingSeconds: 60 }));

  it('trains without alarms, then scores against a calibrated limit that learns; with alpha, one fixed Q-statistic limit', () => {
    const training = verdicts.filter((v) => v.training);
    assert.equal(training.length, 30);
    assert.ok(training.every((v) => !v.alarm && Number.isNaN(v.score)));
    // 30 training intervals give 30 held-out SPEs (≥ MIN_CALIBRATION_SCORES): a threshold from the first judged interval.
    const judged = verdicts.filter((v) => !v.training);
    assert.ok(judged.every((v) => Number.isFinite(v.threshold) && v.threshold > 0));
    // It learns every judged SPE, so it moves.
    assert.ok(new Set(judged.map((v) => v.threshold)).size > 1);
    const fixed = judgeSnapshots(syntheticMesh(150, 1, attacks), pcaSubspace({ alpha: 0.001 }, { trainingSeconds: 60 }));
    assert.equal(new Set(fixed.filter((v) => !v.training).map((v) => v.threshold)).size, 1);
  });

  it('alarms on both exfiltrations, blaming the edges they used', () => {
    const api = verdicts[80]!;
    const egress = verdicts[100]!;
    assert.ok(api.alarm, `api: SPE ${api.score} vs ${api.threshold}`);
    assert.ok(egress.alarm, `egress: SPE ${egress.score} vs ${egress.threshold}`);
    const apiEdges = api.blamed.slice(0, 2).map((b) => `${b.src}>${b.dst}`);
    assert.ok(apiEdges.every((e) => ['external>front-end', 'front-end>user', 'user>user-db'].includes(e)), apiEdges.join(' '));
    assert.equal(`${egress.blamed[0]?.src}>${egress.blamed[0]?.dst}`, 'user>attacker-sink');
  });

  it('false alarms on benign intervals stay rare (default falseAlarmRate 1 %), also after the exfiltrations', () => {
    // SUSPECTED SRC BUG (reported, not fixed here): with the default silentEdges 'typical',
    // SilenceImputed learns user→attacker-sink's "typical level" from its one (alarmed) interval
    // at 100 and reads it at 400 kB in every later interval, a residual no axis covers: 101-116
    // all alarm. The expectation is the false-alarm promise: ~1.2 alarms expected in 118 benign
    // intervals at 1 %; more than 5 % (≥ 6) has binomial probability 0.13 %.
    const benign = verdicts.filter((v, i) => !v.training && i !== 80 && i !== 100);
    const alarms = benign.filter((v) => v.alarm).length;
    assert.ok(alarms <= 0.05 * benign.length, `${alarms} of ${benign.length}`);
  });

  it("with silentEdges 'zero' the same run alarms rarely outside the two exfiltrations", () => {
    const zero = judgeSnapshots(syntheticMesh(150, 1, attacks), pcaSubspace({ silentEdges: 'zero' }, { trainingSeconds: 60 }));
    const benign = zero.filter((v, i) => !v.training && i !== 80 && i !== 100);
    assert.ok(zero[80]!.alarm && zero[100]!.alarm);
    assert.ok(benign.filter((v) => v.alarm).length <= 0.05 * benign.length);
  });
});

describe('pca-subspace stream behaviour', () => {
  const base = syntheticMesh(90, 3);

  it('skips gaps: the other intervals are judged exactly as without the gap (and the interval after it, which may hold its traffic)', () => {
    const gap: Snapshot = { t: base[49]!.t + 1, dt: 1, gap: true, edges: [] };
    const a = judgeSnapshots([...base.slice(0, 50), ...base.slice(51)], pcaSubspace({}, { trainingSeconds: 60 }));
    const b = judgeSnapshots([...base.slice(0, 50), gap, ...base.slice(50)], pcaSubspace({}, { trainingSeconds: 60 }));
    assert.ok(b[50]!.gap && !b[50]!.alarm && Number.isNaN(b[50]!.score));
    assert.ok(!b[51]!.gap && !b[51]!.alarm && Number.isNaN(b[51]!.score), 'the interval after the gap is not judged');
    const strip = (v: Verdict) => [v.score, v.threshold, v.alarm];
    assert.deepEqual([...b.slice(0, 50), ...b.slice(52)].map(strip), a.map(strip));
  });

  it('skips a gap inside training: it is not a zero-traffic sample (nor is the interval after it learnt)', () => {
    const gap: Snapshot = { t: base[9]!.t + 1, dt: 1, gap: true, edges: [] };
    const a = judgeSnapshots([...base.slice(0, 10), ...base.slice(11)], pcaSubspace({}, { trainingSeconds: 60 }));
    const b = judgeSnapshots([...base.slice(0, 10), gap, ...base.slice(10)], pcaSubspace({}, { trainingSeconds: 60 }));
    const strip = (v: Verdict) => [v.score, v.threshold, v.alarm];
    assert.deepEqual([...b.slice(0, 10), ...b.slice(12)].map(strip), a.map(strip));
  });

  it('does not read ahead: changing the future leaves past verdicts unchanged', () => {
    const future = syntheticMesh(90, 4, (i): Record<string, number> => (i >= 60 ? { 'carts>carts-db': 1e7 } : {}));
    const a = judgeSnapshots(base, pcaSubspace({}, { trainingSeconds: 60 }));
    const b = judgeSnapshots([...base.slice(0, 60), ...future.slice(60)], pcaSubspace({}, { trainingSeconds: 60 }));
    assert.deepEqual(b.slice(0, 60), a.slice(0, 60));
    assert.notDeepEqual(b.slice(60), a.slice(60));
  });

  it('does not score (score 0, no threshold, never an alarm), and says why, with fewer than two training intervals', () => {
    const log = captureLog();
    try {
      const v = judgeSnapshots(base.slice(0, 5), pcaSubspace({}, { trainingSeconds: 2 }));
      assert.ok(v.slice(1).every((x) => !x.training && x.score === 0 && Number.isNaN(x.threshold) && !x.alarm && x.blamed.length === 0));
      assert.match(log.text('warn'), /pca-subspace: 1 training interval\(s\), need at least 2.*detectors\.trainingSeconds/);
    } finally {
      log.restore();
    }
  });
});

describe('pca-subspace options', () => {
  it('applies documented defaults', () => {
    assert.deepEqual(pcaSubspaceOptionsSchema.parse({}), {
      metrics: ['request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes'],
      transform: 'log1p',
      silentEdges: 'typical',
      components: 1,
      forgetAfterSeconds: 3600,
      maxEdges: 8192,
      shrinkage: 0,
    });
    // No alpha or falseAlarmRate by default: the threshold is calibrated to the parameters'
    // detectors.falseAlarmRate (0.01 unless set).
  });

  it('names the bad field and value', () => {
    assert.throws(() => pcaSubspace({ alpha: 0.7 }), (e: unknown) => e instanceof UserError && /detectors\.options\.pca-subspace\.alpha: .*\(got 0\.7\)/.test(e.message));
    assert.throws(() => pcaSubspace({ components: -1 }), (e: unknown) => e instanceof UserError && /detectors\.options\.pca-subspace\.components/.test(e.message));
    assert.throws(() => pcaSubspace({ shrinkage: 2 }), (e: unknown) => e instanceof UserError && /detectors\.options\.pca-subspace\.shrinkage/.test(e.message));
    assert.throws(() => pcaSubspace({ rank: 2 } as never), (e: unknown) => e instanceof UserError && /detectors\.options\.pca-subspace\.rank: unknown option/.test(e.message));
  });
});
