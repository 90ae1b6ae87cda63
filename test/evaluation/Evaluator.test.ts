import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Evaluator, formatSummaryTable, isAttack, isAttackInterval, overlaps, ReplayFiles, rocAuc } from '../../src/evaluation/index.ts';
import type { RunEvent, Verdict } from '../../src/types.ts';
import { makeTempDir } from '../util.ts';

// A small constructed run, worked out by hand:
// intervals (t-5, t] for t = 5 … 60; t ≤ 10 train; t = 30 is a gap.
// Attacks: A exfiltration [12, 18) → intervals 15, 20 (and 25 right after);
//          C scan [40, 41) → intervals 40 (it ends exactly at C's start: (35, 40] and [40, 41) share
//          the instant 40, an attack interval by run-format.md) and 45; 50 right after;
//          D exfiltration [1, 4) → interval 5, training, and 10 after it, training: never scored.
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

// d1: alarms at 15 (TP), 25 (FP, right after A), 40 (TP), 50 (FP, right after C).
const d1 = verdicts('d1', { 15: 0.9, 20: 0.4, 25: 0.7, 35: 0.1, 40: 0.6, 45: 0.3, 50: 0.8, 55: 0.2, 60: 0.4 }, 0.5);
// d2: one alarm at 25, right after A.
const d2 = verdicts('d2', { 15: 0, 20: 0, 25: 1, 35: 0, 40: 0, 45: 0, 50: 0, 55: 0, 60: 0 }, 0.5);
// d3: never alarms.
const d3 = verdicts('d3', { 15: 3, 20: 2, 25: 1, 35: 1, 40: 1, 45: 2, 50: 1, 55: 1, 60: 1 }, 10);

function evaluate(): ReturnType<Evaluator['summary']> {
  const ev = new Evaluator('hand', events);
  for (const t of times) ev.addSnapshot({ t, dt: 5, gap: t === 30, edges: [] });
  for (let i = 0; i < times.length; i++) for (const d of [d1, d2, d3]) ev.addVerdict(d[i]!);
  return ev.summary();
}

describe('Evaluator', () => {
  const s = evaluate();

  it('counts intervals: all, gaps, training, scored, scored attack intervals', () => {
    assert.equal(s.run, 'hand');
    assert.equal(s.intervals, 12);
    assert.equal(s.gapIntervals, 1);
    assert.equal(s.trainingIntervals, 2);
    assert.equal(s.scoredIntervals, 9);
    assert.equal(s.attackIntervals, 4);
    assert.equal(s.attacks.length, 3, 'informational events are not attacks');
  });

  it('computes the confusion matrix and rates as worked out by hand', () => {
    const d = s.detectors['d1']!;
    // Attack intervals 15, 20, 40, 45; alarms at 15, 25, 40, 50.
    assert.deepEqual([d.tp, d.fp, d.tn, d.fn], [2, 2, 3, 2]);
    assert.equal(d.tpr, 2 / 4);
    assert.equal(d.fpr, 2 / 5);
    assert.equal(d.fnr, 2 / 4, 'FNR = FN / (FN + TP), not from TN');
    assert.equal(d.precision, 2 / 4);
    assert.equal(d.f1, 4 / 8);
    // Attack scores 0.9, 0.4, 0.6, 0.3 against benign 0.7, 0.1, 0.8, 0.2, 0.4 (pairs: higher 1, tie ½):
    // 0.9 beats all 5; 0.4 beats 0.1, 0.2 and ties 0.4; 0.6 beats 0.1, 0.2, 0.4; 0.3 beats 0.1, 0.2.
    assert.equal(d.auc, 12.5 / 20);
    const two = s.detectors['d2']!;
    assert.deepEqual([two.tp, two.fp, two.tn, two.fn], [0, 1, 4, 4]);
    assert.equal(two.precision, 0);
    assert.equal(two.f1, 0);
    // Attack scores all 0: each loses to the benign 1 and ties the four benign 0s.
    assert.equal(two.auc, (4 * 4 * 0.5) / 20);
    const three = s.detectors['d3']!;
    assert.equal(three.precision, null, 'no alarm: precision undefined');
    assert.equal(three.tpr, 0);
    // Attack scores 3, 2, 1, 2 against benign 1 ×5: all pairs won but the 1's five ties, though no alarm.
    assert.equal(three.auc, (15 + 2.5) / 20);
  });

  it('counts an attack detected by an alarm in its intervals or the one right after, with the delay from its start', () => {
    const d = s.detectors['d1']!;
    assert.equal(d.events.total, 2, 'D fell in training: not counted');
    assert.equal(d.events.detected, 2);
    // A: alarm at 15 → 15 − 12 = 3 s; C: alarm at 40, its first interval → 40 − 40 = 0 s.
    assert.equal(d.events.meanDelaySeconds, 1.5);
    const two = s.detectors['d2']!.events;
    assert.deepEqual([two.detected, two.total, two.meanDelaySeconds], [1, 2, 13]);
    const a = s.attacks.findIndex((e) => e.start === 12);
    const c = s.attacks.findIndex((e) => e.start === 40);
    const dd = s.attacks.findIndex((e) => e.start === 1);
    assert.deepEqual(two.outcomes[a], { attack: a, scored: true, detected: true, delaySeconds: 13 });
    assert.deepEqual(two.outcomes[c], { attack: c, scored: true, detected: false, delaySeconds: null });
    assert.deepEqual(two.outcomes[dd], { attack: dd, scored: false, detected: false, delaySeconds: null });
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

describe('overlaps', () => {
  it('is the closed-ended overlap of run-format.md; an instantaneous event belongs to the interval holding it', () => {
    // (5, 10] and [10, 12) share the instant 10: an attack interval by the format's definition.
    assert.equal(overlaps(10, 5, { start: 10, end: 12 }), true);
    assert.equal(overlaps(10, 5, { start: 9.99, end: 12 }), true);
    assert.equal(overlaps(10, 5, { start: 1, end: 5 }), false);
    assert.equal(overlaps(10, 5, { start: 1, end: 5.01 }), true);
    assert.equal(overlaps(10, 5, { start: 10, end: 10 }), true);
    assert.equal(overlaps(10, 5, { start: 5, end: 5 }), false);
  });
});

describe('overlaps (run-format.md: (t - dt, t] against [start, end))', () => {
  it('counts an attack starting exactly at an interval’s end in that interval', () => {
    assert.equal(overlaps(110, 5, { start: 110, end: 112 }), true);
  });
  it('does not count an attack ending exactly at an interval’s start (end is exclusive)', () => {
    assert.equal(overlaps(115, 5, { start: 108, end: 110 }), false);
    assert.equal(overlaps(110, 5, { start: 108, end: 110 }), true);
  });
  it('does not count an attack starting just after the interval', () => {
    assert.equal(overlaps(110, 5, { start: 110.001, end: 112 }), false);
  });
  it('places an instant event (end = start) in the interval holding it', () => {
    assert.equal(overlaps(110, 5, { start: 107, end: 107 }), true);
    assert.equal(overlaps(110, 5, { start: 105, end: 105 }), false);
    assert.equal(overlaps(105, 5, { start: 105, end: 105 }), true);
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
    // (35, 40] shares its end with the scan's start: an attack interval, also in alerts.ndjson.
    assert.deepEqual([alerts[3].t, alerts[3].detector, alerts[3].attack], [40, 'd1', true]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual(Object.keys(summary).slice(0, 4), ['run', 'intervals', 'scoredIntervals', 'attackIntervals']);
    for (const key of ['tp', 'fp', 'tn', 'fn', 'tpr', 'fpr', 'precision', 'f1', 'auc', 'events']) assert.ok(key in summary.detectors.d1, key);
    assert.deepEqual([summary.detectors.d1.events.detected, summary.detectors.d1.events.total, summary.detectors.d1.events.meanDelaySeconds], [2, 2, 1.5]);
  });

  it('prints an aligned table', () => {
    const text = formatSummaryTable(evaluate());
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'run hand: 12 intervals (1 gaps, 2 training), 9 scored, 4 attack intervals, 3 attacks');
    const table = lines.slice(2);
    assert.equal(table.length, 4);
    assert.ok(table.every((l) => l.length === table[0]!.length), 'every row as wide as the header');
    assert.match(table[0]!, /^detector\s+TP\s+FP\s+TN\s+FN\s+TPR\s+FPR\s+precision\s+F1\s+AUC\s+attacks\s+mean delay$/);
    assert.match(table[1]!, /^d1\s+2\s+2\s+3\s+2\s+0\.500\s+0\.400\s+0\.500\s+0\.500\s+0\.625\s+2\/2\s+1\.5 s$/);
    assert.match(table[3]!, /^d3\s+0\s+0\s+5\s+4\s+0\.000\s+0\.000\s+-\s+0\.000\s+0\.875\s+0\/2\s+-$/);
  });
});
