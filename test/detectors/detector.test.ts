import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from } from 'rxjs';
import { detectorOperator, type DetectorCore, type Judgement } from '../../src/detectors/detector.ts';
import { vectorize } from '../../src/detectors/vectorize.ts';
import type { Frame, Snapshot, Verdict } from '../../src/types.ts';

// detectorOperator's handling of the interval right after a gap (it may hold the gap's traffic
// as well as its own): never learnt; judged as the mean of the intervals it may hold by a core
// with judgeOnly, not shown to one without.

/** One edge a → b carrying `bytes` response bytes, or a gap (bytes null), at t = 10, 20, ... */
function snapshots(bytes: readonly (number | null)[]): Snapshot[] {
  return bytes.map((b, i) =>
    b === null ? { t: 10 * (i + 1), dt: 10, gap: true, edges: [] } : { t: 10 * (i + 1), dt: 10, gap: false, edges: [{ src: 'a', dst: 'b', values: { response_bytes: b } }] },
  );
}

/** A core that scores an interval by its bytes against a threshold of 100, and records what it is shown. */
class RecordingCore implements DetectorCore {
  readonly trained: number[] = [];
  readonly judged: number[] = [];
  readonly judgedOnly: number[] = [];
  train(frame: Frame): void {
    this.trained.push(bytesOf(frame));
  }
  judge(frame: Frame): Judgement {
    this.judged.push(bytesOf(frame));
    return { score: bytesOf(frame), threshold: 100, blamed: [{ src: 'a', dst: 'b', score: 1 }] };
  }
}

class JudgeOnlyCore extends RecordingCore {
  judgeOnly(frame: Frame): Judgement {
    this.judgedOnly.push(bytesOf(frame));
    return { score: bytesOf(frame), threshold: 100, blamed: [{ src: 'a', dst: 'b', score: 1 }] };
  }
}

function bytesOf(frame: Frame): number {
  const position = frame.edges.indexOf('a', 'b')!;
  return frame.values.get('response_bytes')![position]!;
}

function run(core: RecordingCore, bytes: readonly (number | null)[]): Verdict[] {
  const out: Verdict[] = [];
  from(snapshots(bytes))
    .pipe(vectorize(), detectorOperator(() => core, { name: 'rec', trainingSeconds: 20, falseAlarmRate: 0.01 }))
    .subscribe((v) => out.push(v));
  return out;
}

// Intervals: 2 of training, a gap, 240 after it (2 intervals' worth), a judged 50, two gaps, 360 (3 intervals' worth).
const BYTES = [40, 60, null, 240, 50, null, null, 360];

test('a core with judgeOnly is shown the interval after a gap as the mean of the intervals it may hold, and learns nothing from it', () => {
  const core = new JudgeOnlyCore();
  const verdicts = run(core, BYTES);
  assert.deepEqual(core.trained, [40, 60]);
  assert.deepEqual(core.judged, [50], 'judge (which learns) sees only the interval after the one after a gap');
  assert.deepEqual(core.judgedOnly, [240 / 2, 360 / 3]);
  const at = (t: number) => verdicts.find((v) => v.t === t)!;
  assert.deepEqual([at(40).score, at(40).alarm, at(40).blamed.length], [120, true, 1]);
  assert.deepEqual([at(80).score, at(80).alarm], [120, true]);
  assert.deepEqual([at(50).score, at(50).alarm, at(50).blamed.length], [50, false, 0]);
});

test('a core without judgeOnly does not see the interval after a gap: score NaN, no alarm, the last threshold', () => {
  const core = new RecordingCore();
  const verdicts = run(core, BYTES);
  assert.deepEqual(core.trained, [40, 60]);
  assert.deepEqual(core.judged, [50]);
  const at = (t: number) => verdicts.find((v) => v.t === t)!;
  assert.ok(Number.isNaN(at(40).score));
  assert.equal(at(40).alarm, false);
  assert.ok(Number.isNaN(at(40).threshold), 'nothing judged before it');
  assert.ok(Number.isNaN(at(80).score));
  assert.equal(at(80).threshold, 100, 'the threshold the interval at 50 s was judged with');
});

test('the interval after a gap in training is neither trained on nor judged, with or without judgeOnly', () => {
  const core = new JudgeOnlyCore();
  const verdicts = run(core, [null, 300, 60, 70]);
  assert.deepEqual(core.trained, []);
  assert.deepEqual(core.judgedOnly, []);
  assert.deepEqual(core.judged, [60, 70]);
  assert.equal(verdicts[1]!.training, true);
  assert.ok(Number.isNaN(verdicts[1]!.score));
});
