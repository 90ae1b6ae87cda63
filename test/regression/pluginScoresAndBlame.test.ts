// Bug: a plugin's NaN or missing score and threshold, and blamed edges the run never had, were
// accepted silently. A tester's `async judge(frame)` under detectorOperator gave NaN scores and
// thresholds on every interval and the table showed AUC 0.500 as if measured; a plugin blaming
// `no-such → node` had that edge written to alerts.ndjson and counted in "blame on path". The
// contract check now refuses a score or threshold that is not a number, a NaN score on a scored
// interval, and a blamed entry that is not {src, dst, score} or whose edge is not in the frame's
// edge index. A NaN threshold stays allowed on a scored interval (a built-in's before
// calibration: no threshold, no alarm), and NaN scores while training, on a gap or right after
// one (what detectorOperator writes there).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { map, type OperatorFunction } from 'rxjs';
import { DetectorPluginError } from '../../src/plugins/index.ts';
import { guardPluginOperator } from '../../src/plugins/pluginFailure.ts';
import type { Frame, Verdict } from '../../src/types.ts';
import { handSnapshots, judgeSnapshots } from '../util.ts';

const FILE = '/plugins/hand.ts';
// Four intervals of 1 s from t = 100 (t = 101 … 104), the third a gap; 1 s of training (t = 101).
const SNAPSHOTS = handSnapshots([{ 'a>b': { requests: 1 } }, { 'a>b': { requests: 1 }, 'b>c': { requests: 2 } }, 'gap', { 'a>b': { requests: 1 } }], { start: 100, dt: 1 });
const HEAD = (t: number, offset: number) => `detector "hand" (plugin ${FILE}) breaks the detector contract (README "Writing a detector") at the interval t = ${t} (${offset} s into the stream):`;

/** The contract kept (NaN score and threshold while training or on a gap, as detectorOperator writes), but for what `change` alters. */
function hand(change: (frame: Frame) => Record<string, unknown>): OperatorFunction<Frame, Verdict> {
  return map((f) => {
    const unscored = f.t <= 101 || f.gap;
    return { t: f.t, dt: f.dt, detector: 'hand', score: unscored ? Number.NaN : 0, threshold: unscored ? Number.NaN : 1, alarm: false, training: f.t <= 101, gap: f.gap, blamed: [], ...change(f) } as Verdict;
  });
}

const judge = (operator: OperatorFunction<Frame, Verdict>) => judgeSnapshots(SNAPSHOTS, guardPluginOperator(operator, 'hand', FILE, 1));

function failure(operator: OperatorFunction<Frame, Verdict>): string {
  try {
    judge(operator);
  } catch (e) {
    assert.ok(e instanceof DetectorPluginError, String(e));
    return e.message;
  }
  return assert.fail('the breach should fail the run');
}

describe("a plugin's scores, thresholds and blamed edges", () => {
  it('a NaN score on a scored interval is refused, but for the one right after a gap (detectorOperator judges it only for a core with judgeOnly)', () => {
    assert.equal(failure(hand((f) => (f.t === 102 ? { score: Number.NaN } : {}))), `${HEAD(102, 2)} score is NaN on an interval that is scored (NaN only while training, on a gap or right after one)`);
    assert.deepEqual(judge(hand((f) => (f.t === 104 ? { score: Number.NaN } : {}))).map((v) => v.t), [101, 102, 103, 104]);
  });

  it('an async judge (score and threshold undefined) is refused at the first interval', () => {
    assert.equal(failure(hand(() => ({ score: undefined, threshold: undefined }))), `${HEAD(101, 1)}\n    score is undefined, not a number (NaN while training or on a gap)\n    threshold is undefined, not a number (NaN while training or on a gap)`);
  });

  it('a NaN threshold without an alarm is allowed (not calibrated yet), as are NaN scores while training and on gaps', () => {
    const verdicts = judge(hand((f) => (f.t === 102 ? { threshold: Number.NaN } : {})));
    assert.deepEqual(verdicts.map((v) => v.t), [101, 102, 103, 104]);
  });

  it('a blamed edge the run does not have is refused; edges of the frame are accepted', () => {
    const ghost = hand((f) => (f.t === 102 ? { score: 2, alarm: true, blamed: [{ src: 'b', dst: 'c', score: 2 }, { src: 'no-such', dst: 'node', score: 2 }] } : {}));
    assert.equal(failure(ghost), `${HEAD(102, 2)} blamed[1]: "no-such" → "node" is not an edge of the run (blame edges of frame.edges)`);
    const real = judge(hand((f) => (f.t === 102 ? { score: 2, alarm: true, blamed: [{ src: 'b', dst: 'c', score: 2 }, { src: 'a', dst: 'b', score: 1 }] } : {})));
    assert.deepEqual(real[1]!.blamed.map((b) => `${b.src}>${b.dst}`), ['b>c', 'a>b']);
  });

  it('a blamed entry that is not {src, dst, score}, or blamed not a list, is refused', () => {
    assert.equal(failure(hand((f) => (f.t === 104 ? { blamed: [{ src: 'a', dst: 'b' }] } : {}))), `${HEAD(104, 4)} blamed[0] is {"src":"a","dst":"b"}, not {src, dst, score} (two node names and a number)`);
    assert.equal(failure(hand((f) => (f.t === 104 ? { blamed: undefined } : {}))), `${HEAD(104, 4)} blamed is undefined, not a list of edges`);
  });
});
