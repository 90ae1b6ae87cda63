// Regression (issue 14): each alarm lifted the calibrated threshold as one benign tail interval
// does, so on a 72-slice run an attack that crossed in two slices lifted it twice and the next
// attacks, a few slices later, fell under it. On the seeded Munnin-shaped run below (seed 1, the
// five 20 kB exfiltrations of Munnin's schedule, default settings) `path` caught 3 of 5: the
// threshold climbed from the first attack's two alarms and hid the fourth and fifth. One event is
// now learnt once (TailThreshold, EVENT_GAP_INTERVALS), and all five are caught.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { MUNNIN_SHAPED_PATH, MUNNIN_SHAPED_WINDOWS, runReplay, writeInjectedRun, writeMunninShapedRun } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-climb-');
after(() => tmp.remove());

test('path, default settings, on a Munnin-shaped run with five 20 kB exfiltrations: every one is caught, the benign slices keep the false-alarm target', async () => {
  const base = join(tmp.dir, 'base');
  const copy = join(tmp.dir, 'copy');
  writeMunninShapedRun(base, { seed: 1 });
  await writeInjectedRun(base, copy, { inject: [{ bytesPerInterval: 20_000, at: MUNNIN_SHAPED_WINDOWS }], path: MUNNIN_SHAPED_PATH });
  const detectors = resolveParameters({ detectors: { enabled: ['path'] } }).detectors;
  const log = captureLog();
  const { summary } = await runReplay(copy, { outDir: join(tmp.dir, 'out'), detectors });
  log.restore();
  const path = summary.detectors['path']!;
  assert.equal(summary.attacks.length, 5);
  assert.equal(path.events.detected, 5, `caught ${path.events.detected} of 5`);
  // At most one false alarm in the ~50 benign slices (the promise is 1 %, i.e. 0.5 expected).
  assert.ok(path.fp <= 1, `${path.fp} false alarms in ${path.fp + path.tn} benign slices`);
});
