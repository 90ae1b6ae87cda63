// Bug: a plugin whose create() returned something that is not an RxJS operator (undefined from
// a forgotten `return`) crashed the replay as "munnin: unexpected error (a bug; please report
// it): TypeError: operator is not a function" with a stack of rxjs frames, the plugin unnamed.
// create()'s result is now checked, and so is what the operator returns (an Observable) and an
// exception it throws when applied: each is a DetectorPluginError (a UserError, exit 2) naming
// the detector and its module.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Observable, OperatorFunction } from 'rxjs';
import { createDetectors } from '../../src/detectors/index.ts';
import { DetectorPluginError, withDetectorPlugins } from '../../src/plugins/index.ts';
import { guardPluginOperator } from '../../src/plugins/pluginFailure.ts';
import type { Frame, Verdict } from '../../src/types.ts';
import { handSnapshots, judgeSnapshots } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PLUGIN = join(ROOT, 'test', 'fixtures', 'plugins', 'create-returns-nothing.mjs');
const SNAPSHOTS = handSnapshots([{ 'a>b': { requests: 1 } }], { start: 100, dt: 1 });

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DetectorPluginError, String(e));
    return e;
  }
  return assert.fail('should be refused');
}

describe('a plugin that gives no operator', () => {
  it('create() returning undefined is refused when the detectors are built, naming the plugin', async () => {
    const detectors = await withDetectorPlugins({ enabled: ['ewma'], trainingSeconds: 100, falseAlarmRate: 0.01, options: {}, plugins: [PLUGIN] }, ROOT);
    assert.equal(
      thrown(() => createDetectors(detectors)).message,
      `detector "returns-nothing" (plugin ${PLUGIN}): create() returned undefined, not an operator, a function from the Observable of Frames to an Observable of Verdicts (e.g. detectorOperator(core, setup), or frames => frames.pipe(map(...)))`,
    );
  });

  it('an operator returning something that is not an Observable, or throwing, is named', () => {
    const core = (() => ({ train() {}, judge() {} })) as unknown as OperatorFunction<Frame, Verdict>;
    assert.equal(thrown(() => judgeSnapshots(SNAPSHOTS, guardPluginOperator(core, 'hand', '/p/hand.ts', 0))).message, 'detector "hand" (plugin /p/hand.ts): its operator returned an object (keys: train, judge), not an Observable of Verdicts (frames => frames.pipe(map(...)))');
    const throwing: OperatorFunction<Frame, Verdict> = (): Observable<Verdict> => {
      throw new Error('no pipe');
    };
    assert.match(thrown(() => judgeSnapshots(SNAPSHOTS, guardPluginOperator(throwing, 'hand', '/p/hand.ts', 0))).message, /^detector "hand" \(plugin \/p\/hand\.ts\) failed when created: no pipe/);
  });
});
