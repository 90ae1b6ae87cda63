import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/types.ts';
import { injectionWarnings } from '../../src/replay/injectionWarnings.ts';

// Bug: an --inject window just after training, while calibrated detectors still have no
// threshold (their limit needs 20 scores, MIN_CALIBRATION_SCORES), was learnt as benign and
// ruined later detection without a word: on the 30k run with --training 100, `--inject
// 50000@120-130` dropped path and cusum from 5/5 to 1/6. Now such a window is warned about,
// naming the first start clear of that stretch: training end + 20 intervals.
const BASE = 1_800_000_000;

/** A window injected whole (its planned event as injected), seconds after the run start. */
function whole(startSeconds: number, endSeconds: number) {
  const planned: RunEvent = { kind: 'exfiltration', start: BASE + startSeconds, end: BASE + endSeconds, bytes: 10 * (endSeconds - startSeconds), path: ['db', 'app'], method: 'synthetic', injected: true };
  return { window: { startSeconds, endSeconds }, planned, injected: planned, gapSeconds: 0, cutAtRunEnd: false };
}

it('a window starting while the limits still calibrate after training is warned about, with the first time clear of it', () => {
  // Training 10 s, intervals of 2 s: the limits calibrate on the 20 intervals (10, 50] s.
  const windows = [whole(4, 8), whole(10, 12), whole(49, 53), whole(50, 54), whole(80, 90)];
  const warnings = injectionWarnings([{ bytesPerInterval: 10, windows }], 100, 10, 2);
  const calibrating = (flag: string) =>
    `--inject 10@${flag}: starts while the detectors' limits may still be calibrating (10-50 s: a limit has no threshold until it has learnt 20 scores, which some detectors' training gives them and others' not, e.g. path and cusum warm their fits up first; this replay's scores.csv shows each one's by its NaN thresholds, and it warns below about any that had none on an attack): those whose limit is still calibrating learn the attack as benign, which blunts them on the attacks after it; start it at 50 s or later to be clear of it for every detector`;
  assert.deepEqual(warnings, [
    '--inject 10@4-8: lies inside the training stretch (the first 10 s): the detectors train on that traffic and its intervals are not scored',
    calibrating('10-12'),
    calibrating('49-53'),
  ]);
});
