// Bug: the plugin contract check compared a verdict's t, its alarm and its blamed count, but
// not its `detector`, `dt`, `training` or `gap`. A plugin writing `detector: 'ewma'` had its
// verdicts added to the built-in ewma's tally (ewma's row went from 45 TN 5 FN to 92 TN 10 FN,
// AUC 0.960 → 0.618, and the plugin's own row vanished); one writing `dt: 60` made the run's
// attack intervals 25 instead of 5; one writing `training: false` throughout was scored on the
// training intervals (72 scored instead of 50). Each is now a contract breach naming the
// detector, its module, the interval and the field: `detector` must be the plugin's name,
// `dt` and `gap` the frame's, and `training` whether the frame lies within trainingSeconds of
// the stream's start, as detectorOperator decides it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { map, type OperatorFunction } from 'rxjs';
import { resolveParameters } from '../../src/config/index.ts';
import { DetectorPluginError, withDetectorPlugins } from '../../src/plugins/index.ts';
import { guardPluginOperator } from '../../src/plugins/pluginFailure.ts';
import { runReplay } from '../../src/replay/index.ts';
import type { Frame, Verdict } from '../../src/types.ts';
import { handSnapshots, judgeSnapshots, makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = '/plugins/hand.ts';
// Four intervals of 1 s from t = 100 (t = 101 … 104), the third a gap.
const SNAPSHOTS = handSnapshots([{ 'a>b': { requests: 1 } }, { 'a>b': { requests: 1 } }, 'gap', { 'a>b': { requests: 1 } }], { start: 100, dt: 1 });
const HEAD = (t: number, offset: number) => `detector "hand" (plugin ${FILE}) breaks the detector contract (README "Writing a detector") at the interval t = ${t} (${offset} s into the stream):`;

/** A hand-written operator keeping the contract for 1 s of training (t = 101 trains), but for what `change` alters. */
function hand(change: (frame: Frame) => Partial<Verdict>): OperatorFunction<Frame, Verdict> {
  return map((f) => ({ t: f.t, dt: f.dt, detector: 'hand', score: 0, threshold: 1, alarm: false, training: f.t <= 101, gap: f.gap, blamed: [], ...change(f) }));
}

function failure(operator: OperatorFunction<Frame, Verdict>): string {
  try {
    judgeSnapshots(SNAPSHOTS, guardPluginOperator(operator, 'hand', FILE, 1));
  } catch (e) {
    assert.ok(e instanceof DetectorPluginError, String(e));
    return e.message;
  }
  return assert.fail('the breach should fail the run');
}

describe("a plugin's verdict must describe its own frame", () => {
  it('keeping the contract passes', () => {
    assert.deepEqual(judgeSnapshots(SNAPSHOTS, guardPluginOperator(hand(() => ({})), 'hand', FILE, 1)).map((v) => [v.t, v.training, v.gap]), [[101, true, false], [102, false, false], [103, false, true], [104, false, false]]);
  });

  it("another detector's name (a built-in's) is refused", () => {
    assert.equal(failure(hand(() => ({ detector: 'ewma' }))), `${HEAD(101, 1)} detector is "ewma", not the plugin's name "hand" (write setup.name)`);
  });

  it("a dt that is not the frame's is refused", () => {
    assert.equal(failure(hand((f) => (f.t === 102 ? { dt: 60 } : {}))), `${HEAD(102, 2)} dt is 60, not the frame's 1`);
  });

  it('training claimed false within trainingSeconds, or true after it, is refused', () => {
    assert.equal(failure(hand(() => ({ training: false }))), `${HEAD(101, 1)} training is false, but the interval ends within setup.trainingSeconds = 1 s of the stream's start (the first frame's t − dt; a frame ending within it only trains)`);
    assert.equal(failure(hand(() => ({ training: true }))), `${HEAD(102, 2)} training is true, but the interval ends after setup.trainingSeconds = 1 s of the stream's start (the first frame's t − dt; a frame ending within it only trains)`);
  });

  it("a gap that is not the frame's is refused, and several mistakes are listed together", () => {
    assert.equal(failure(hand((f) => (f.t === 103 ? { gap: false, detector: 'other' } : {}))), `${HEAD(103, 3)}\n    detector is "other", not the plugin's name "hand" (write setup.name)\n    gap is false, not the frame's true`);
  });

  it('through a replay, the training stretch is the parameters\' trainingSeconds', async () => {
    const tmp = makeTempDir();
    try {
      const run = join(tmp.dir, 'run');
      cpSync(join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k'), run, { recursive: true });
      // Every verdict says training: false, so the first interval (dt 5 s: 5 s into the stream), inside the 100 s of training, breaks the contract.
      const plugin = join(ROOT, 'test', 'fixtures', 'plugins', 'never-trains.mjs');
      const detectors = await withDetectorPlugins(resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 100, plugins: [plugin] } }).detectors, ROOT);
      const error = await runReplay(run, { outDir: join(run, 'replay'), detectors }).then(() => assert.fail('the replay should fail'), (e: unknown) => e);
      assert.ok(error instanceof DetectorPluginError, String(error));
      assert.match(error.message, /^detector "never-trains" \(plugin .*never-trains\.mjs\) breaks the detector contract .* \(5 s into the stream\): training is false, but the interval ends within setup\.trainingSeconds = 100 s of the stream's start \(the first frame's t − dt; a frame ending within it only trains\)$/);
    } finally {
      tmp.remove();
    }
  });
});
