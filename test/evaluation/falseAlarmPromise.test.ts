import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, falseAlarmPromise, formatSummaryTable, promisedRate, withFalseAlarmPromises } from '../../src/evaluation/index.ts';
import type { RunEvent, Verdict } from '../../src/types.ts';

// A run of 1-s intervals (t − 1, t], t = 1 … 40, the first 5 training; one exfiltration
// [20, 22): its attack intervals are t = 21 and 22, and 23 is its grace interval. Alarms (benign
// unless said): 8, 9 (a pair: one episode), 12 (one), 15, 16, 17 (a run of 3: ⌈3/2⌉ = 2), 21
// (attack), 24 (after the attack: an episode of its own), 30, 31 (one) — and no threshold on 6
// and 7 (a limit still calibrating). By hand: fp = 9 (t = 8, 9, 12, 15, 16, 17, 24, 30, 31);
// episodes 1 + 1 + 2 + 1 + 1 = 6; benign scored = 40 − 5 training − 2 attack − 1 grace = 32, of
// which 2 without a threshold: 30 judged.
const events: RunEvent[] = [{ kind: 'exfiltration', start: 20, end: 22, bytes: 5000 }];
const ALARMED = new Set([8, 9, 12, 15, 16, 17, 21, 24, 30, 31]);

function run(): ReturnType<Evaluator['summary']> {
  const ev = new Evaluator('hand', events);
  for (let t = 1; t <= 40; t++) {
    const training = t <= 5;
    const threshold = training || t === 6 || t === 7 ? Number.NaN : 1;
    const alarm = !training && ALARMED.has(t);
    const v: Verdict = { t, dt: 1, detector: 'd', training, gap: false, score: alarm ? 2 : 0, threshold, alarm, blamed: [] };
    ev.addSnapshot({ t, dt: 1, gap: false, edges: [] });
    ev.addVerdict(v);
  }
  return ev.summary();
}

describe('false alarms against the calibrated rate', () => {
  const s = run();
  const d = s.detectors['d']!;

  it('counts a run of L adjacent false alarms as ⌈L/2⌉ episodes, and an attack between two as a break', () => {
    assert.deepEqual([d.tp, d.fp, d.tn, d.fn], [1, 9, 23, 1]);
    assert.equal(d.falseAlarmEpisodes, 6);
  });

  it('tests the episodes in the intervals judged with a threshold: P(X ≥ 6) for X ~ Bin(30, 0.01)', () => {
    const promise = falseAlarmPromise(d, 0.01)!;
    assert.deepEqual([promise.rate, promise.judgedIntervals, promise.episodes], [0.01, 30, 6]);
    // Exact, summed with rational arithmetic outside the project: 1 − Σ_{i<6} C(30,i) 0.01^i 0.99^(30−i).
    assert.ok(Math.abs(promise.p - 4.831534612407216e-7) < 1e-16, String(promise.p));
  });

  it('does not let a detector that alarms on every interval pass as one episode', () => {
    // 45 benign intervals, every one alarmed: ⌈45/2⌉ = 23 episodes, P(X ≥ 23 | 45, 0.01) = 3.3e-34
    // (one episode would have been P = 1 − 0.99^45 = 0.36: a promise kept).
    const ev = new Evaluator('always');
    for (let t = 1; t <= 45; t++) ev.addVerdict({ t, dt: 1, detector: 'loud', training: false, gap: false, score: 2, threshold: 1, alarm: true, blamed: [] });
    const loud = ev.summary().detectors['loud']!;
    assert.equal(loud.falseAlarmEpisodes, 23);
    const promise = falseAlarmPromise(loud, 0.01)!;
    assert.ok(Math.abs(promise.p - 3.330902601152618e-34) < 1e-40, String(promise.p));
  });

  it('gives the FPR its 95 % Wilson interval: 9 in 32', () => {
    // Worked from Wilson's formula outside the project (z = 1.95996).
    const [lo, hi] = d.fprInterval95!;
    assert.ok(Math.abs(lo - 0.15564580497742764) < 1e-12 && Math.abs(hi - 0.45374509425916565) < 1e-12, `${lo}, ${hi}`);
  });

  it('gives the TPR its 95 % Wilson interval too: 1 of the 2 attack intervals', () => {
    // Worked from Wilson's formula outside the project (z = 1.95996): symmetric about ½.
    const [lo, hi] = d.tprInterval95!;
    assert.ok(Math.abs(lo - 0.09453120573423074) < 1e-12 && Math.abs(hi - 0.9054687942657693) < 1e-12, `${lo}, ${hi}`);
  });

  it('tests nothing of a detector that never had a threshold (p = 1), and still writes it so runs can be pooled', () => {
    const ev = new Evaluator('never');
    for (let t = 1; t <= 10; t++) ev.addVerdict({ t, dt: 1, detector: 'mute', training: false, gap: false, score: 0, threshold: Number.NaN, alarm: false, blamed: [] });
    assert.deepEqual(falseAlarmPromise(ev.summary().detectors['mute']!, 0.01), { rate: 0.01, judgedIntervals: 0, episodes: 0, p: 1 });
  });

  it('takes each detector\'s own rate, and none from a detector with a fixed limit', () => {
    const settings = { falseAlarmRate: 0.01, options: { ewma: { falseAlarmRate: 0.001 }, 'control-chart': { k: 3 }, 'pca-subspace': { alpha: 0.005 }, eigenspace: { criticalProbability: 0.02 } } };
    assert.equal(promisedRate(settings, 'cusum'), 0.01);
    assert.equal(promisedRate(settings, 'ewma'), 0.001);
    assert.equal(promisedRate(settings, 'control-chart'), undefined);
    assert.equal(promisedRate(settings, 'pca-subspace'), undefined);
    assert.equal(promisedRate(settings, 'eigenspace'), undefined);
    const withFixed = withFalseAlarmPromises({ ...s, detectors: { d, 'control-chart': d } }, settings);
    assert.equal(withFixed.detectors['d']!.falseAlarmPromise?.rate, 0.01);
    assert.equal(withFixed.detectors['control-chart']!.falseAlarmPromise, undefined);
  });

  it('names a broken promise under the table, and says nothing of a kept one', () => {
    const broken = formatSummaryTable(withFalseAlarmPromises(s, { falseAlarmRate: 0.01, options: {} }));
    assert.match(broken, /false alarms beyond the rate their thresholds were calibrated to/);
    assert.match(broken, /\n {2}d: 6 episode\(s\) in 30 judged benign intervals at a rate of 0\.01 \(P = 4\.8e-7\); FPR 0\.281, 95 % interval 0\.156-0\.454\n/);
    // At a promised rate of 0.2, 6 episodes in 30 are ordinary (P = 0.572).
    const kept = formatSummaryTable(withFalseAlarmPromises(s, { falseAlarmRate: 0.2, options: {} }));
    assert.doesNotMatch(kept, /beyond the rate/);
  });
});
