import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyInterval, classifyIntervals, Evaluator, formatSummaryTable, isAttack, isAttackInterval, isOnAttackPath, operatingPoints, overlaps, ReplayFiles, rocAuc } from '../../src/evaluation/index.ts';
import type { RunEvent, Verdict } from '../../src/types.ts';
import { makeTempDir } from '../util.ts';

// A small constructed run, worked out by hand:
// intervals (t-5, t] for t = 5 … 60; t ≤ 10 train; t = 30 is a gap.
// Attacks (an attack interval shares a stretch of time with the attack: t > start and t − 5 < end):
//          A exfiltration [12, 18) → intervals 15, 20; 25 right after it is its grace interval;
//          C scan [40, 41) → interval 45 only ((35, 40] ends exactly when C starts: it only
//          touches C at one instant and holds none of its traffic); 50 is its grace interval;
//          D exfiltration [1, 4) → interval 5, training, and 10 after it, training: never scored.
// Grace intervals (25, 50) are left out of TP/FP/TN/FN and the AUC, but an alarm there detects.
// "note" is informational and labels nothing.
const events: RunEvent[] = [
  { kind: 'exfiltration', start: 12, end: 18, bytes: 1000 },
  { kind: 'note', start: 0, end: 100 },
  { kind: 'scan', start: 40, end: 41 },
  { kind: 'exfiltration', start: 1, end: 4 },
];
const times = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60];

function verdicts(detector: string, scoreAt: Record<number, number>, threshold: number): Verdict[] {
  return times.map((t) => {
    const training = t <= 10;
    const gap = t === 30;
    const score = training || gap ? Number.NaN : scoreAt[t]!;
    return { t, dt: 5, detector, training, gap, score, threshold: training || gap ? Number.NaN : threshold, alarm: !training && !gap && score > threshold, blamed: [] };
  });
}

// d1: alarms at 15 (TP), 25 (grace of A), 40 (FP), 50 (grace of C).
const d1 = verdicts('d1', { 15: 0.9, 20: 0.4, 25: 0.7, 35: 0.1, 40: 0.6, 45: 0.3, 50: 0.8, 55: 0.2, 60: 0.4 }, 0.5);
// d2: one alarm at 25, A's grace interval.
const d2 = verdicts('d2', { 15: 0, 20: 0, 25: 1, 35: 0, 40: 0, 45: 0, 50: 0, 55: 0, 60: 0 }, 0.5);
// d3: never alarms.
const d3 = verdicts('d3', { 15: 3, 20: 2, 25: 1, 35: 1, 40: 1, 45: 2, 50: 1, 55: 1, 60: 1 }, 10);

function evaluate(atFpr?: number[]): ReturnType<Evaluator['summary']> {
  const ev = new Evaluator('hand', events, atFpr);
  for (const t of times) ev.addSnapshot({ t, dt: 5, gap: t === 30, edges: [] });
  for (let i = 0; i < times.length; i++) for (const d of [d1, d2, d3]) ev.addVerdict(d[i]!);
  return ev.summary();
}

describe('Evaluator', () => {
  const s = evaluate();

  it('counts intervals: all, gaps, training, scored, scored attack intervals, grace intervals', () => {
    assert.equal(s.run, 'hand');
    assert.equal(s.intervals, 12);
    assert.equal(s.gapIntervals, 1);
    assert.equal(s.trainingIntervals, 2);
    assert.equal(s.scoredIntervals, 9);
    assert.equal(s.attackIntervals, 3, '15, 20 and 45');
    assert.equal(s.graceIntervals, 2, '25 and 50');
    assert.equal(s.attacks.length, 3, 'informational events are not attacks');
  });

  it('computes the confusion matrix and rates as worked out by hand, grace intervals left out', () => {
    const d = s.detectors['d1']!;
    // Counted: attack 15, 20, 45; benign 35, 40, 55, 60. Alarms counted: 15 (TP), 40 (FP).
    assert.deepEqual([d.tp, d.fp, d.tn, d.fn], [1, 1, 3, 2]);
    assert.equal(d.tpr, 1 / 3);
    assert.equal(d.fpr, 1 / 4);
    assert.equal(d.fnr, 2 / 3, 'FNR = FN / (FN + TP), not from TN');
    assert.equal(d.precision, 1 / 2);
    assert.equal(d.f1, 2 / 5);
    // Attack scores 0.9, 0.4, 0.3 against benign 0.1, 0.6, 0.2, 0.4 (pairs: higher 1, tie ½):
    // 0.9 beats all 4; 0.4 beats 0.1, 0.2 and ties 0.4; 0.3 beats 0.1, 0.2. The grace 0.7 and 0.8 are out.
    assert.equal(d.auc, 8.5 / 12);
    const two = s.detectors['d2']!;
    assert.deepEqual([two.tp, two.fp, two.tn, two.fn], [0, 0, 4, 3], 'its only alarm is in a grace interval');
    assert.equal(two.precision, null, 'no counted alarm');
    assert.equal(two.f1, 0);
    // Every counted score is 0: all ties.
    assert.equal(two.auc, 0.5);
    const three = s.detectors['d3']!;
    assert.equal(three.precision, null, 'no alarm: precision undefined');
    assert.equal(three.tpr, 0);
    // Attack scores 3, 2, 2 against benign 1 ×4: every pair won, though no alarm.
    assert.equal(three.auc, 1);
  });

  it('counts an attack detected by an alarm in its intervals or its grace interval, with the delay from its start', () => {
    const d = s.detectors['d1']!;
    assert.equal(d.events.total, 2, 'D fell in training: not counted');
    assert.equal(d.events.detected, 2);
    // A: alarm at 15 → 15 − 12 = 3 s; C: alarm at 50, its grace interval → 50 − 40 = 10 s.
    assert.equal(d.events.meanDelaySeconds, 6.5);
    const two = s.detectors['d2']!.events;
    assert.deepEqual([two.detected, two.total, two.meanDelaySeconds], [1, 2, 13]);
    const a = s.attacks.findIndex((e) => e.start === 12);
    const c = s.attacks.findIndex((e) => e.start === 40);
    const dd = s.attacks.findIndex((e) => e.start === 1);
    // Its verdicts blame no edge: the detecting alarm's first blamed edge is none, so not on the path.
    assert.deepEqual(two.outcomes[a], { attack: a, scored: true, detected: true, delaySeconds: 13, firstBlamed: null, blameOnPath: false });
    assert.deepEqual(two.outcomes[c], { attack: c, scored: true, detected: false, delaySeconds: null, firstBlamed: null, blameOnPath: null });
    assert.deepEqual(two.outcomes[dd], { attack: dd, scored: false, detected: false, delaySeconds: null, firstBlamed: null, blameOnPath: null });
    const three = s.detectors['d3']!.events;
    assert.deepEqual([three.detected, three.total, three.meanDelaySeconds], [0, 2, null]);
  });

  it('gives null rates and AUC when there is no attack', () => {
    const ev = new Evaluator('benign');
    for (const v of d1) ev.addVerdict(v);
    const d = ev.summary().detectors['d1']!;
    assert.deepEqual([d.tp, d.fp, d.tn, d.fn], [0, 4, 5, 0]);
    assert.equal(d.tpr, null);
    assert.equal(d.fnr, null);
    assert.equal(d.auc, null);
    assert.equal(d.fpr, 4 / 9);
    assert.equal(ev.summary().intervals, 12, 'without snapshots the verdicts give the interval count');
  });
});

describe('overlaps (run-format.md: (t - dt, t] against [start, end): t > start and t - dt < end)', () => {
  it('shares a stretch of time, or it is not an attack interval', () => {
    // (5, 10] and [10, 12) only touch at the instant 10: none of the attack's traffic is in (5, 10].
    assert.equal(overlaps(10, 5, { start: 10, end: 12 }), false);
    assert.equal(overlaps(15, 5, { start: 10, end: 12 }), true);
    assert.equal(overlaps(10, 5, { start: 9.99, end: 12 }), true);
    assert.equal(overlaps(10, 5, { start: 1, end: 5 }), false, 'end is exclusive: [1, 5) and (5, 10] share nothing');
    assert.equal(overlaps(10, 5, { start: 1, end: 5.01 }), true);
    assert.equal(overlaps(110, 5, { start: 110.001, end: 112 }), false);
  });
  it('places an instantaneous event (end = start) in the one interval holding it: t - dt < start <= t', () => {
    assert.equal(overlaps(10, 5, { start: 10, end: 10 }), true);
    assert.equal(overlaps(10, 5, { start: 5, end: 5 }), false);
    assert.equal(overlaps(5, 5, { start: 5, end: 5 }), true);
    assert.equal(overlaps(110, 5, { start: 107, end: 107 }), true);
  });
});

describe('classifyInterval / classifyIntervals', () => {
  const attacks: RunEvent[] = [
    { kind: 'exfiltration', start: 10, end: 20 },
    { kind: 'scan', start: 20, end: 22 },
    { kind: 'lateral', start: 40, end: 40 },
  ];
  const spans = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((t) => ({ t, dt: 5 }));
  const c = classifyIntervals(spans, attacks);
  it('marks attack intervals, and the interval right after an attack’s last one as grace unless it is itself an attack interval', () => {
    // Attack 0: 15, 20; its "after" is 25, which is attack 1's interval (20, 25]: not grace.
    // Attack 1: 25; grace 30. Attack 2 (instant at 40): (35, 40]; grace 45.
    assert.deepEqual(c.map((x) => (x.attack ? 'A' : x.grace ? 'g' : '.')).join(''), '..AAAg.Ag.');
    assert.deepEqual(c[4], { attack: true, grace: false, inside: [1], after: [0] });
    assert.deepEqual(c[5], { attack: false, grace: true, inside: [], after: [1] });
  });
  it('answers for one interval as for the sequence, given its predecessor', () => {
    for (let i = 0; i < spans.length; i++) assert.deepEqual(classifyInterval(spans[i]!, spans[i - 1], attacks), c[i]);
  });
});

describe('isOnAttackPath (an attack’s edges: consecutive pairs of its path, undirected, * any node)', () => {
  const path = ['user-db', 'user', 'front-end', 'external'];
  it('matches consecutive pairs in either direction, never a pair that skips a node', () => {
    assert.equal(isOnAttackPath({ src: 'user', dst: 'user-db' }, path), true);
    assert.equal(isOnAttackPath({ src: 'user-db', dst: 'user' }, path), true);
    assert.equal(isOnAttackPath({ src: 'external', dst: 'front-end' }, path), true);
    assert.equal(isOnAttackPath({ src: 'front-end', dst: 'user-db' }, path), false);
    assert.equal(isOnAttackPath({ src: 'front-end', dst: 'carts' }, path), false);
    assert.equal(isOnAttackPath({ src: 'user', dst: 'user-db' }, undefined), false);
  });
  it('lets * stand for any node', () => {
    assert.equal(isOnAttackPath({ src: 'shipping', dst: 'orders' }, ['orders', '*']), true);
    assert.equal(isOnAttackPath({ src: 'orders', dst: 'carts' }, ['orders', '*']), true);
    assert.equal(isOnAttackPath({ src: 'carts', dst: 'shipping' }, ['orders', '*']), false);
  });
});

describe('blame in the summary', () => {
  // Intervals (t − 5, t], t = 5 … 40, none training. X [5, 15) → attack intervals 10, 15, grace 20;
  // Y an instant at 30 → attack interval 30 ((25, 30]), grace 35.
  const attacks: RunEvent[] = [
    { kind: 'exfiltration', start: 5, end: 15, path: ['user-db', 'user', 'front-end', 'external'] },
    { kind: 'scan', start: 30, end: 30, path: ['orders', '*'] },
  ];
  const edge = (src: string, dst: string) => ({ src, dst, score: 1 });
  // b: alarms at 5 (benign, edge on X's path: not counted), 10 (user → user-db: on X, reversed),
  // 15 (first edge front-end → carts, off the path; the second one on it does not count),
  // 20 (grace: not counted), 30 (shipping → orders: on Y's orders–*), 40 (benign, no edge).
  // e: alarms at 10 with no blamed edge, 30 blaming catalogue → front-end (not orders–*).
  const alarms: Record<string, Record<number, { src: string; dst: string; score: number }[]>> = {
    b: { 5: [edge('user', 'user-db')], 10: [edge('user', 'user-db')], 15: [edge('front-end', 'carts'), edge('front-end', 'external')], 20: [edge('front-end', 'external')], 30: [edge('shipping', 'orders')], 40: [] },
    e: { 10: [], 30: [edge('catalogue', 'front-end')] },
  };
  const ev = new Evaluator('blame', attacks);
  for (let t = 5; t <= 40; t += 5) {
    for (const [detector, at] of Object.entries(alarms)) {
      const blamed = at[t];
      ev.addVerdict({ t, dt: 5, detector, score: blamed ? 2 : 0, threshold: 1, alarm: blamed !== undefined, training: false, gap: false, blamed: blamed ?? [] });
    }
  }
  const s = ev.summary();
  it('counts the alarms raised in attack intervals and those whose first blamed edge lies on that attack', () => {
    assert.deepEqual(s.detectors['b']!.blame, { alarms: 3, onPath: 2 });
    assert.deepEqual(s.detectors['e']!.blame, { alarms: 2, onPath: 0 });
  });
});

describe('operatingPoints (threshold and TPR at a false-alarm rate, from the ROC; alarm when score > threshold)', () => {
  // Benign 1 … 10; attack 5.5, 9.5, 11 and 0.
  const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5.5, 9.5, 11, 0];
  const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  it('allows ⌊rate × benign⌋ benign intervals above the threshold and counts the attack intervals above it', () => {
    assert.deepEqual(operatingPoints(scores, labels, [0.1, 0.05, 0.35]), [
      // 1 benign allowed above: threshold 9 (only 10 above); attacks above 9: 9.5, 11.
      { fpr: 0.1, threshold: 9, tpr: 2 / 4, achievedFpr: 1 / 10 },
      // none allowed: threshold 10, the highest benign; only 11 above.
      { fpr: 0.05, threshold: 10, tpr: 1 / 4, achievedFpr: 0 },
      // 3 allowed: threshold 7 (8, 9, 10 above); 5.5 stays below.
      { fpr: 0.35, threshold: 7, tpr: 2 / 4, achievedFpr: 3 / 10 },
    ]);
  });
  it('never exceeds the rate with ties, ranks NaN lowest, and is null without both classes', () => {
    // Four benign 1s, rate 0.5: 2 allowed above, but raising a 1 above raises all four: none.
    assert.deepEqual(operatingPoints([1, 1, 1, 1, 1, 2], [0, 0, 0, 0, 1, 1], [0.5]), [{ fpr: 0.5, threshold: 1, tpr: 1 / 2, achievedFpr: 0 }]);
    assert.deepEqual(operatingPoints([Number.NaN, 3, 1, 2], [1, 1, 0, 0], [0.5]), [{ fpr: 0.5, threshold: 1, tpr: 1 / 2, achievedFpr: 1 / 2 }]);
    assert.deepEqual(operatingPoints([1, 2], [1, 1], [0.01]), [{ fpr: 0.01, threshold: null, tpr: null, achievedFpr: null }]);
  });
  it('is in the summary for each detector, at 0.01 and 0.001 unless other rates are asked for', () => {
    // d1 counted: attack 0.9, 0.4, 0.3; benign 0.1, 0.6, 0.2, 0.4.
    const d1 = evaluate().detectors['d1']!;
    assert.deepEqual(d1.operatingPoints, [
      { fpr: 0.01, threshold: 0.6, tpr: 1 / 3, achievedFpr: 0 },
      { fpr: 0.001, threshold: 0.6, tpr: 1 / 3, achievedFpr: 0 },
    ]);
    assert.deepEqual(evaluate([0.25]).detectors['d1']!.operatingPoints, [{ fpr: 0.25, threshold: 0.4, tpr: 1 / 3, achievedFpr: 1 / 4 }]);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, ½ for all ties, null without both classes', () => {
    assert.equal(rocAuc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
    assert.equal(rocAuc([4, 3, 2, 1], [0, 0, 1, 1]), 0);
    assert.equal(rocAuc([7, 7, 7, 7], [1, 0, 1, 0]), 0.5);
    assert.equal(rocAuc([1, 2], [1, 1]), null);
    assert.equal(rocAuc([1, 2], [0, 0]), null);
    assert.equal(rocAuc([], []), null);
  });

  it('ranks NaN lowest and handles infinities', () => {
    // Attack NaN vs benign 0 → loses; attack +∞ beats both benign.
    assert.equal(rocAuc([Number.NaN, Number.POSITIVE_INFINITY, 0, 1], [1, 1, 0, 0]), 2 / 4);
  });
});

describe('ReplayFiles and the table', () => {
  const tmp = makeTempDir('munnin-eval-');
  after(() => tmp.remove());

  it('writes scores.csv for every scored interval, one alert line per alarm, and summary.json', () => {
    const out = join(tmp.dir, 'replay');
    const ev = new Evaluator('hand', events);
    const files = new ReplayFiles(out);
    const blamed = { src: 'front-end', dst: 'user', metric: 'response_bytes', score: Number.POSITIVE_INFINITY };
    const attacks = events.filter(isAttack);
    for (let i = 0; i < times.length; i++) {
      for (const d of [d1, d2]) {
        const v = d[i]!.alarm ? { ...d[i]!, blamed: [blamed] } : d[i]!;
        const attack = isAttackInterval(v.t, v.dt, attacks);
        assert.equal(ev.addVerdict(v), attack, `t=${v.t}: the evaluator labels the interval as the attacks do`);
        files.addVerdict(v, attack);
      }
    }
    files.finish(ev.summary());
    const csv = readFileSync(join(out, 'scores.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(csv[0], 't,detector,score,threshold,alarm');
    assert.equal(csv.length, 1 + 2 * 9);
    assert.equal(csv[1], '15,d1,0.9,0.5,true');
    assert.equal(csv[2], '15,d2,0,0.5,false');
    const alerts = readFileSync(join(out, 'alerts.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(alerts.length, 5);
    assert.deepEqual(alerts[0], { t: 15, dt: 5, detector: 'd1', score: 0.9, threshold: 0.5, attack: true, blamed: [{ src: 'front-end', dst: 'user', metric: 'response_bytes', score: 'Infinity' }] });
    assert.equal(alerts[1].attack, false);
    // (35, 40] only touches the scan's start: not an attack interval, in alerts.ndjson too.
    assert.deepEqual([alerts[3].t, alerts[3].detector, alerts[3].attack], [40, 'd1', false]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual(Object.keys(summary).slice(0, 4), ['run', 'intervals', 'scoredIntervals', 'attackIntervals']);
    for (const key of ['tp', 'fp', 'tn', 'fn', 'tpr', 'fpr', 'precision', 'f1', 'auc', 'events']) assert.ok(key in summary.detectors.d1, key);
    assert.deepEqual([summary.detectors.d1.events.detected, summary.detectors.d1.events.total, summary.detectors.d1.events.meanDelaySeconds], [2, 2, 6.5]);
    // In `alarms`, never on path (run-format.md), and said to have had no path to check.
    assert.deepEqual(summary.detectors.d1.blame, { alarms: 1, onPath: 0 }, 'the alarm at 15 is in A, which records no path: no edge lies on it');
    assert.equal(summary.detectors.d1.blameWithoutPath, 1, 'beside blame, not in it (the run format defines blame as {alarms, onPath})');
  });

  it('prints an aligned table', () => {
    const text = formatSummaryTable(evaluate());
    const lines = text.trimEnd().split('\n');
    // D lies in training: 3 attacks, 2 of them with a scored interval (the "attacks" column's 2).
    assert.equal(lines[0], 'run hand: 12 intervals (1 gaps, 2 training), 9 scored, 3 attack intervals, 2 grace, 3 attacks (2 with a scored interval)');
    const table = lines.slice(2);
    assert.equal(table.length, 4);
    assert.ok(table.every((l) => l.length === table[0]!.length), 'every row as wide as the header');
    assert.match(table[0]!, /^detector\s+TP\s+FP\s+TN\s+FN\s+TPR\s+FPR\s+precision\s+F1\s+AUC\s+attacks\s+mean delay\s+blame on path$/);
    // AUC 8.5 / 12 = 0.708; one alarm in an attack interval (15), of A, which has no path: nothing to check, "-".
    assert.match(table[1]!, /^d1\s+1\s+1\s+3\s+2\s+0\.333\s+0\.250\s+0\.500\s+0\.400\s+0\.708\s+2\/2\s+6\.5 s\s+-$/);
    assert.match(table[3]!, /^d3\s+0\s+0\s+4\s+3\s+0\.000\s+0\.000\s+-\s+0\.000\s+1\.000\s+0\/2\s+-\s+-$/);
  });

  it('adds a threshold and a TPR column per asked false-alarm rate', () => {
    const lines = formatSummaryTable(evaluate([0.25]), { operatingPoints: true }).trimEnd().split('\n');
    assert.match(lines[2]!, /\s+blame on path\s+threshold@0\.25\s+TPR@0\.25$/);
    assert.match(lines[3]!, /^d1\s.*\s-\s+0\.400\s+0\.333$/);
    // d3: benign 1 ×4, attack 3, 2, 2: one benign allowed above, but all four tie: threshold 1, TPR 1.
    assert.match(lines[5]!, /^d3\s.*\s1\.00\s+1\.000$/);
    assert.match(lines[lines.length - 1]!, /alarm when score > threshold/);
  });
});
