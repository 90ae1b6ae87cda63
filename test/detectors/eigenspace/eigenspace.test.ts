import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { eigenspace, eigenspaceOptionsSchema } from '../../../src/detectors/eigenspace/eigenspace.ts';
import { capDissimilarity, dissimilarity } from '../../../src/detectors/eigenspace/eigenspaceDissimilarity.ts';
import { DissimilarityLaw } from '../../../src/detectors/eigenspace/eigenspaceThreshold.ts';
import { MIN_CALIBRATION_SCORES } from '../../../src/detectors/stats/index.ts';
import type { Snapshot, Verdict } from '../../../src/types.ts';
import { assertClose, captureLog, gammaTail, handSnapshots, judgeSnapshots, syntheticMesh, type HandInterval } from '../../util.ts';

// A star: hub `h` sends w_i bytes to leaf i. D + Dᵀ then has the principal eigenvector
// u = (1/√2 on the hub, w_i / (√2‖w‖) on leaf i), eigenvalue ‖w‖ — by hand, no solver.
const LEAVES = 12;
function star(weights: readonly number[]): HandInterval {
  return Object.fromEntries(weights.map((w, i) => [`h>leaf${i}`, { response_bytes: w }]));
}
/** uₓ·u_y for two stars on the same leaves: 1/2 + x·y / (2‖x‖‖y‖). */
function starDot(x: readonly number[], y: readonly number[]): number {
  let xy = 0;
  for (let i = 0; i < x.length; i++) xy += x[i]! * y[i]!;
  return 0.5 + xy / (2 * Math.hypot(...x) * Math.hypot(...y));
}
/** z = 1 − r·u_z with r the principal left singular vector of [u_x, u_y] = (u_x + u_y)/‖u_x + u_y‖. */
function zAgainstPair(x: readonly number[], y: readonly number[], z: readonly number[]): number {
  return 1 - (starDot(x, z) + starDot(y, z)) / Math.sqrt(2 + 2 * starDot(x, y));
}

const A = Array.from({ length: LEAVES }, (_, i) => 10 + i);
const B = Array.from({ length: LEAVES }, (_, i) => 30 - 2 * i);
const C = Array.from({ length: LEAVES }, (_, i) => (i % 3 === 0 ? 40 : 5));
const D = Array.from({ length: LEAVES }, (_, i) => (i === 7 ? 200 : 12));

const raw = { transform: 'none', window: 2 } as const;

describe('eigenspace: the method by hand', () => {
  it('z = 1 − r(t−1)ᵀu(t) and the threshold from the discounted moments of past z', () => {
    // Training A B C A B C (W = 2): z is counted once the window holds 2 vectors, so
    // z1 = z(C | A,B), z2 = z(A | B,C), z3 = z(B | C,A), z4 = z(C | A,B). Judged: D against (B, C).
    const snapshots = handSnapshots([star(A), star(B), star(C), star(A), star(B), star(C), star(D)]);
    const log = captureLog();
    const verdicts = judgeSnapshots(snapshots, eigenspace({ ...raw, discount: 0.25, criticalProbability: 0.02 }, { trainingSeconds: 6 }));
    log.restore();
    // Four training z values are few for fitting a law, and the user is told.
    assert.match(log.text('warn'), /eigenspace: training gave 4 z value\(s\).*lengthen detectors\.trainingSeconds/);
    assert.deepEqual(
      verdicts.map((v) => v.training),
      [true, true, true, true, true, true, false],
    );
    const zs = [zAgainstPair(A, B, C), zAgainstPair(B, C, A), zAgainstPair(C, A, B), zAgainstPair(A, B, C)];
    // β = 0.25 and weights max(β, 1/k): the first four z are averaged with equal weight.
    const m1 = zs.reduce((s, z) => s + z, 0) / 4;
    const m2 = zs.reduce((s, z) => s + z * z, 0) / 4;
    const n = (2 * m1 * m1) / (m2 - m1 * m1);
    const sigma = (m2 - m1 * m1) / (2 * m1);
    const judged = verdicts[6]!;
    assertClose(judged.score, zAgainstPair(B, C, D), 1e-9, 'z(D)');
    // z/Σ ~ χ²_n = gamma(n/2, 2): the fitted law, integrated independently, puts p_c above z_th.
    // Simpson's error is below 1e-13 of the tail here (n ≈ 27) and z_th is solved to ~1e-14:
    // a billionth of p_c leaves room for both.
    assertClose(gammaTail(n / 2, 2 * sigma, judged.threshold), 0.02, 0.02 * 1e-9, 'tail above z_th');
    // D's spike is on leaf 7: that node's activity moved most (the hub's stayed at 1/√2).
    assert.ok(judged.alarm);
    assert.deepEqual([judged.blamed[0]?.src, judged.blamed[0]?.dst], ['h', 'leaf7']);
  });

  it('calibrated by default: no threshold (so no alarm) while fewer than MIN_CALIBRATION_SCORES z values were learnt', () => {
    // The same run: training gives four z values, fewer than MIN_CALIBRATION_SCORES.
    const log = captureLog();
    const verdicts = judgeSnapshots(handSnapshots([star(A), star(B), star(C), star(A), star(B), star(C), star(D)]), eigenspace(raw, { trainingSeconds: 6 }));
    log.restore();
    assert.ok(MIN_CALIBRATION_SCORES > 4);
    assertClose(verdicts[6]!.score, zAgainstPair(B, C, D), 1e-9, 'z(D)');
    assert.ok(Number.isNaN(verdicts[6]!.threshold));
    assert.equal(verdicts[6]!.alarm, false);
  });

  it('the law: n = 2M1²/(M2 − M1²), Σ = (M2 − M1²)/(2M1), threshold = Σ·χ²_n point', () => {
    // β = 0.5, z = 0.1, 0.3, 0.2: weights 1, 1/2, 1/2 → M1 = 0.2, M2 = 0.045, so n = 16 and
    // Σ = 0.0125; z/Σ ~ χ²_16, whose 0.99 point is 32.000 (table): z_th = 0.4000.
    const law = new DissimilarityLaw(0.5);
    assert.ok(Number.isNaN(law.threshold(0.01)), 'no threshold before two z values');
    for (const z of [0.1, 0.3, 0.2]) law.update(z);
    const p = law.parameters();
    assertClose(p.m1, 0.2, 1e-15);
    assertClose(p.m2, 0.045, 1e-15);
    assertClose(p.n, 16, 1e-12);
    assertClose(p.sigma, 0.0125, 1e-15);
    assertClose(law.threshold(0.01), 32.0 * 0.0125, 1e-5);
  });

  it('a law that never varied puts the threshold just above its mean', () => {
    const law = new DissimilarityLaw(0.1);
    law.update(0.02);
    law.update(0.02);
    assertClose(law.threshold(0.01), 0.02 + 1e-9, 1e-15);
  });

  it('dissimilarity and its cap: ‖u − r‖²/2 = 1 − rᵀu; the capped vector sits at the threshold, non-negative', () => {
    const r = Float64Array.of(0.6, 0.8, 0);
    const u = Float64Array.of(0, 0.6, 0.8); // rᵀu = 0.48
    assertClose(dissimilarity(r, u), 1 - 0.48, 1e-15);
    const capped = capDissimilarity(r, u, 0.1);
    assertClose(Math.hypot(...capped), 1, 1e-12, '‖capped‖');
    assertClose(1 - (r[0]! * capped[0]! + r[1]! * capped[1]! + r[2]! * capped[2]!), 0.1, 1e-12, 'z(capped)');
    assert.ok(capped.every((x) => x >= 0));
    assert.deepEqual(Array.from(capDissimilarity(r, u, 0.9)), Array.from(u), 'already within: unchanged');
  });
});

describe('eigenspace on a synthetic mesh', () => {
  const attacks = (i: number): Record<string, number> =>
    i === 80
      ? { 'external>front-end': 400_000, 'front-end>user': 400_000, 'user>user-db': 400_000 } // api exfiltration
      : i === 100
        ? { 'user>attacker-sink': 400_000 } // egress to a destination never seen
        : {};
  const verdicts = judgeSnapshots(syntheticMesh(120, 1, attacks), eigenspace({}, { trainingSeconds: 60 }));

  it('trains without alarms, then scores', () => {
    const training = verdicts.filter((v) => v.training);
    assert.equal(training.length, 30);
    assert.ok(training.every((v) => !v.alarm && Number.isNaN(v.score) && v.blamed.length === 0));
    assert.ok(verdicts.filter((v) => !v.training).every((v) => Number.isFinite(v.score) && Number.isFinite(v.threshold)));
  });

  it('alarms on both exfiltrations, blaming the routes they took', () => {
    const api = verdicts[80]!;
    const egress = verdicts[100]!;
    assert.ok(api.alarm, `api: z ${api.score} vs ${api.threshold}`);
    assert.ok(egress.alarm, `egress: z ${egress.score} vs ${egress.threshold}`);
    const apiEdges = api.blamed.map((b) => `${b.src}>${b.dst}`);
    assert.ok(['external>front-end', 'front-end>user', 'user>user-db'].some((e) => apiEdges.includes(e)), apiEdges.join(' '));
    assert.equal(`${egress.blamed[0]?.src}>${egress.blamed[0]?.dst}`, 'user>attacker-sink');
  });

  it('false alarms on benign intervals stay rare (default falseAlarmRate 1 %), also after the exfiltrations', () => {
    // SUSPECTED SRC BUG (reported, not fixed here): with the default silentEdges 'typical',
    // SilenceImputed learns user→attacker-sink's "typical level" from its one (alarmed) interval
    // at 100 and reads it at 400 kB in every later interval, so 101-113 all alarm (13 of 88
    // benign intervals). A detector must not learn from what it alarmed on; the expectation
    // below is the false-alarm promise itself: at 1 %, 88 benign intervals give ~0.9 alarms,
    // and ≥ 5 has binomial probability 0.2 %.
    const benign = verdicts.filter((v, i) => !v.training && i !== 80 && i !== 100);
    const alarms = benign.filter((v) => v.alarm).length;
    assert.ok(alarms <= 0.05 * benign.length, `${alarms} of ${benign.length}`);
  });

  it("with silentEdges 'zero' (the paper's reading) the same run alarms only on the two exfiltrations", () => {
    const zero = judgeSnapshots(syntheticMesh(120, 1, attacks), eigenspace({ silentEdges: 'zero' }, { trainingSeconds: 60 }));
    const benign = zero.filter((v, i) => !v.training && i !== 80 && i !== 100);
    assert.ok(zero[80]!.alarm && zero[100]!.alarm);
    assert.ok(benign.filter((v) => v.alarm).length <= 0.05 * benign.length);
  });

  it("robust handling keeps one exfiltration from masking the next under the paper's law; the paper update does not", () => {
    const robust = judgeSnapshots(syntheticMesh(120, 1, attacks), eigenspace({ criticalProbability: 0.01 }, { trainingSeconds: 60 }));
    const paper = judgeSnapshots(syntheticMesh(120, 1, attacks), eigenspace({ criticalProbability: 0.01, alarmHandling: 'paper' }, { trainingSeconds: 60 }));
    assert.ok(paper[80]!.alarm && robust[80]!.alarm);
    assert.ok(robust[100]!.alarm);
    // The first z enters the moments as is and inflates the threshold for the second.
    assert.ok(paper[100]!.threshold > 10 * robust[100]!.threshold, `${paper[100]!.threshold} vs ${robust[100]!.threshold}`);
  });

  it('the calibrated threshold is not lifted by the first exfiltration: the second still alarms', () => {
    // TailThreshold learns an alarmed z capped at its 1 − α/10 point: 400 kB api traffic at 80
    // cannot hide the egress at 100.
    assert.ok(verdicts[100]!.threshold < verdicts[100]!.score);
    assert.ok(verdicts[100]!.threshold < 2 * verdicts[79]!.threshold, `${verdicts[100]!.threshold} vs ${verdicts[79]!.threshold}`);
  });
});

describe('eigenspace stream behaviour', () => {
  const base = syntheticMesh(90, 3);

  it('skips gaps: the other intervals are judged exactly as without the gap (and the interval after it, which may hold its traffic)', () => {
    const gap: Snapshot = { t: base[49]!.t + 1, dt: 1, gap: true, edges: [] };
    const withGap = [...base.slice(0, 50), gap, ...base.slice(50)];
    const a = judgeSnapshots([...base.slice(0, 50), ...base.slice(51)], eigenspace({}, { trainingSeconds: 60 }));
    const b = judgeSnapshots(withGap, eigenspace({}, { trainingSeconds: 60 }));
    const g = b[50]!;
    assert.ok(g.gap && !g.alarm && Number.isNaN(g.score));
    assert.ok(!b[51]!.gap && !b[51]!.alarm && Number.isNaN(b[51]!.score), 'the interval after the gap is not judged');
    const strip = (v: Verdict) => [v.score, v.threshold, v.alarm];
    assert.deepEqual([...b.slice(0, 50), ...b.slice(52)].map(strip), a.map(strip));
  });

  it('does not read ahead: changing the future leaves past verdicts unchanged', () => {
    const future = syntheticMesh(90, 4, (i): Record<string, number> => (i >= 60 ? { 'carts>carts-db': 1e7 } : {}));
    const altered = [...base.slice(0, 60), ...future.slice(60)];
    const a = judgeSnapshots(base, eigenspace({}, { trainingSeconds: 60 }));
    const b = judgeSnapshots(altered, eigenspace({}, { trainingSeconds: 60 }));
    assert.deepEqual(b.slice(0, 60), a.slice(0, 60));
    assert.notDeepEqual(b.slice(60), a.slice(60));
  });

  it("silentEdges 'zero': scores an all-silent interval as 1 (nothing in common with the pattern) and learns nothing from it", () => {
    const silent: Snapshot = { t: base[59]!.t + 1, dt: 1, gap: false, edges: [] };
    const a = judgeSnapshots(base, eigenspace({ silentEdges: 'zero' }, { trainingSeconds: 60 }));
    const b = judgeSnapshots([...base.slice(0, 60), silent, ...base.slice(60)], eigenspace({ silentEdges: 'zero' }, { trainingSeconds: 60 }));
    assert.equal(b[60]!.score, 1);
    assert.ok(b[60]!.alarm && b[60]!.blamed.length === 0);
    const strip = (v: Verdict) => [v.score, v.threshold];
    assert.deepEqual(b.slice(61).map(strip), a.slice(60).map(strip));
  });

  it("silentEdges 'typical' (default): an all-silent interval reads every edge at its typical level, so it is no anomaly", () => {
    const silent: Snapshot = { t: base[59]!.t + 1, dt: 1, gap: false, edges: [] };
    const b = judgeSnapshots([...base.slice(0, 60), silent, ...base.slice(60)], eigenspace({}, { trainingSeconds: 60 }));
    assert.ok(Number.isFinite(b[60]!.score) && b[60]!.score < 1);
    assert.equal(b[60]!.alarm, false, `z ${b[60]!.score} vs ${b[60]!.threshold}`);
  });
});

describe('eigenspace options', () => {
  it('applies documented defaults', () => {
    assert.deepEqual(eigenspaceOptionsSchema.parse({}), {
      metrics: ['request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes'],
      transform: 'log1p',
      silentEdges: 'typical',
      forgetAfterSeconds: 3600,
      window: 10,
      discount: 0.05,
      alarmHandling: 'robust',
    });
    // No criticalProbability or falseAlarmRate by default: the threshold is calibrated to the
    // parameters' detectors.falseAlarmRate (0.01 unless set).
  });

  it('names the bad field and value', () => {
    assert.throws(() => eigenspace({ window: 0 }), (e: unknown) => e instanceof UserError && /detectors\.options\.eigenspace\.window: .*\(got 0\)/.test(e.message));
    assert.throws(() => eigenspace({ discount: 1 }), (e: unknown) => e instanceof UserError && /detectors\.options\.eigenspace\.discount/.test(e.message));
    assert.throws(() => eigenspace({ windw: 3 } as never), (e: unknown) => e instanceof UserError && /detectors\.options\.eigenspace\.windw: unknown option/.test(e.message));
  });

  it('takes name and trainingSeconds from the setup', () => {
    const log = captureLog();
    const v = judgeSnapshots(base3(), eigenspace({ window: 2 }, { name: 'eig-w2', trainingSeconds: 4 }));
    log.restore();
    assert.match(log.text('warn'), /^eig-w2: training gave 2 z value/);
    assert.equal(v[0]!.detector, 'eig-w2');
    assert.deepEqual(
      v.map((x) => x.training),
      [true, true, true, true, false],
    );
  });
});

function base3(): Snapshot[] {
  return handSnapshots([star(A), star(B), star(A), star(B), star(C)]);
}
