// Bug: a plugin written as a raw operator that broke the detector contract (README "Writing a
// detector": one verdict per frame, in order; alarm means score > threshold, never while
// training or on a gap; at most 5 blamed edges) was accepted without a word: a tester's plugin
// skipped every third frame, blamed 8 edges and alarmed regardless of its score, and the table
// then compared detectors counted over different intervals. The plugin wrapper now checks each
// verdict as it leaves the plugin; a breach fails the run with a DetectorPluginError (a
// UserError) naming the detector, its module, the interval and what is wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filter, map, type OperatorFunction } from 'rxjs';
import { UserError } from '../../src/errors.ts';
import { DetectorPluginError } from '../../src/plugins/index.ts';
import { guardPluginOperator } from '../../src/plugins/pluginFailure.ts';
import type { BlamedEdge, Frame, Verdict } from '../../src/types.ts';
import { handSnapshots, judgeSnapshots } from '../util.ts';

const FILE = '/plugins/hand.ts';
// Four intervals of 1 s from t = 100: t = 101, 102, 103, 104 (1, 2, 3, 4 s into the stream).
const SNAPSHOTS = handSnapshots([{ 'a>b': { requests: 1 } }, { 'a>b': { requests: 1 } }, { 'a>b': { requests: 1 } }, { 'a>b': { requests: 1 } }], { start: 100, dt: 1 });

/** A hand-written operator: per frame, the verdict `pick` gives (training false, no gap unless it says). */
function hand(pick: (frame: Frame) => Partial<Verdict>): OperatorFunction<Frame, Verdict> {
  return map((f) => ({ t: f.t, dt: f.dt, detector: 'hand', score: 1, threshold: 2, alarm: false, training: false, gap: f.gap, blamed: [], ...pick(f) }));
}

function failure(operator: OperatorFunction<Frame, Verdict>, trainingSeconds = 0): string {
  try {
    judgeSnapshots(SNAPSHOTS, guardPluginOperator(operator, 'hand', FILE, trainingSeconds));
  } catch (e) {
    assert.ok(e instanceof DetectorPluginError && e instanceof UserError, String(e));
    return e.message;
  }
  return assert.fail('the contract breach should fail the run');
}

const HEAD = (t: number, offset: number) => `detector "hand" (plugin ${FILE}) breaks the detector contract (README "Writing a detector") at the interval t = ${t} (${offset} s into the stream):`;

describe('a plugin breaking the detector contract', () => {
  it('a frame skipped is named as the interval without a verdict', () => {
    const skip: OperatorFunction<Frame, Verdict> = (frames) => frames.pipe(filter((f) => f.t !== 102), hand(() => ({})));
    assert.equal(failure(skip), `${HEAD(102, 2)} no verdict for this interval: the next verdict is for t = 103 (one verdict per frame, in order)`);
  });

  it('the last frame left unanswered is named when the stream ends', () => {
    const dropLast: OperatorFunction<Frame, Verdict> = (frames) => frames.pipe(filter((f) => f.t !== 104), hand(() => ({})));
    assert.match(failure(dropLast), new RegExp(`^${HEAD(104, 4).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} no verdict for this interval`));
  });

  it('an alarm that is not score > threshold, and more than 5 blamed edges, are named together', () => {
    const eight: BlamedEdge[] = Array.from({ length: 8 }, (_, i) => ({ src: 'a', dst: 'b', score: i }));
    const rogue = hand((f) => (f.t === 103 ? { score: 1, threshold: 2, alarm: true, blamed: eight } : {}));
    assert.equal(failure(rogue), `${HEAD(103, 3)}\n    alarm is true but score 1 > threshold 2 is false (alarm means score > threshold)\n    8 blamed edges (at most 5)`);
  });

  it('a score above the threshold without an alarm, and an alarm while training, are breaches too', () => {
    assert.match(failure(hand((f) => (f.t === 101 ? { score: Infinity, threshold: 2 } : {}))), /t = 101 .*alarm is false but score Infinity > threshold 2 is true/);
    // Trained for 2 s: t = 101 and 102 are training intervals.
    const trainingAlarm = hand((f) => ({ training: f.t <= 102, ...(f.t === 102 ? { score: Number.NaN, threshold: Number.NaN, alarm: true } : {}) }));
    assert.match(failure(trainingAlarm, 2), /t = 102 .*alarm on a training interval/);
  });

  it('a plugin keeping the contract passes untouched, ≥ honoured when the verdict says so', () => {
    const keeper = hand((f) => ({ score: f.t - 100, threshold: 3, comparison: '≥', alarm: f.t - 100 >= 3, blamed: [{ src: 'a', dst: 'b', score: 1 }] }));
    const verdicts = judgeSnapshots(SNAPSHOTS, guardPluginOperator(keeper, 'hand', FILE, 0));
    assert.deepEqual(verdicts.map((v) => [v.t, v.alarm]), [[101, false], [102, false], [103, true], [104, true]]);
  });
});
