import { it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { detectorsSchema } from '../../src/config/schema.ts';
import { DETECTOR_NAMES } from '../../src/detectors/index.ts';
import { detectLive } from '../../src/replay/index.ts';
import { tally } from '../detectors/calibrationSuite.ts';
import { readRunBack } from '../util.ts';

// Bug: the calibration check on the default experiment's benign recordings counted 10 cusum,
// 6 pair-ratio and 6 graph-lasso alarms where `npm run replay` of the same runs counts 14, 8
// and 4. The third recording's first interval holds no byte metric; replay declares the run's
// metrics (run.json) to the detectors, the check did not, so there every volume detector fell
// back to requests for good and the check measured detectors replay never runs. The check now
// declares them, and must count what the replay pipeline (detectLive) counts.
const RUN = new URL('../fixtures/default-benign-runs/run3/', import.meta.url);

it('the calibration tally of a run whose first interval has no byte metric counts what replay counts', async () => {
  const { manifest, snapshots } = await readRunBack(fileURLToPath(RUN));
  const metrics = manifest.metrics;
  assert.ok(!snapshots[0]!.edges.some((e) => 'request_bytes' in e.values || 'tcp_sent_bytes' in e.values), 'the fixture still starts without byte metrics');
  const replayed = await lastValueFrom(from(snapshots).pipe(detectLive(detectorsSchema.parse({ enabled: DETECTOR_NAMES, trainingSeconds: 60 }), { metrics }), toArray()));
  const counted = tally(snapshots, 60, {}, metrics);
  for (const name of DETECTOR_NAMES) {
    const mine = replayed.filter((v) => v.detector === name && !v.training && !v.gap);
    assert.deepEqual(counted.get(name), { alarms: mine.filter((v) => v.alarm).length, scored: mine.length }, name);
  }
  // Without the declared metrics the same run is judged on requests: the counts differ (what the check used to measure).
  const undeclared = tally(snapshots, 60);
  assert.ok(DETECTOR_NAMES.some((name) => undeclared.get(name)!.alarms !== counted.get(name)!.alarms));
});
