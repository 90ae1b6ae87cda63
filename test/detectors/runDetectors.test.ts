import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, toArray } from 'rxjs';
import { detectorsSchema } from '../../src/config/schema.ts';
import { createDetectors, ewma, newEdge, runDetectors, vectorize } from '../../src/detectors/index.ts';
import { UserError } from '../../src/errors.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';
import { handSnapshots, judgeSnapshots, type HandInterval } from '../util.ts';

const series: HandInterval[] = [5, 6, 7, 'gap' as const, 6, 40, 5].map((v) => (v === 'gap' ? 'gap' : { 'a>b': { request_bytes: v }, 'front-end>user': { response_bytes: 10 + v } }));

function runAll(snapshots: readonly Snapshot[], config: unknown): Verdict[] {
  let out: Verdict[] = [];
  from(snapshots)
    .pipe(vectorize(), runDetectors(createDetectors(detectorsSchema.parse(config))), toArray())
    .subscribe((v) => (out = v));
  return out;
}

test('runDetectors: a synchronous source reaches every detector; verdicts frame by frame, detectors in order', () => {
  const snapshots = handSnapshots(series);
  const verdicts = runAll(snapshots, { enabled: ['ewma', 'new-edge', 'control-chart'], trainingSeconds: 3 });
  assert.equal(verdicts.length, snapshots.length * 3);
  snapshots.forEach((s, i) => {
    assert.deepEqual(
      verdicts.slice(3 * i, 3 * i + 3).map((v) => [v.t, v.detector]),
      [[s.t, 'ewma'], [s.t, 'new-edge'], [s.t, 'control-chart']],
    );
  });
  // Fanned out, each detector judges exactly as it does alone.
  assert.deepEqual(
    verdicts.filter((v) => v.detector === 'ewma'),
    judgeSnapshots(snapshots, ewma({}, { trainingSeconds: 3 })),
  );
  assert.deepEqual(
    verdicts.filter((v) => v.detector === 'new-edge'),
    judgeSnapshots(snapshots, newEdge({}, { trainingSeconds: 3 })),
  );
});

test('runDetectors: no detectors, no verdicts, and the stream still completes', () => {
  let completed = false;
  const seen: Verdict[] = [];
  from(handSnapshots(series))
    .pipe(vectorize(), runDetectors([]))
    .subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
  assert.equal(seen.length, 0);
  assert.equal(completed, true);
});

test('createDetectors: builds the enabled detectors with the shared training stretch and their options', () => {
  const detectors = createDetectors(detectorsSchema.parse({ enabled: ['control-chart', 'ewma'], trainingSeconds: 3, options: { ewma: { k: 100 } } }));
  assert.deepEqual(detectors.map((d) => d.name), ['control-chart', 'ewma']);
  const ewmaVerdicts = judgeSnapshots(handSnapshots(series), detectors[1]!.operator);
  assert.deepEqual(ewmaVerdicts.map((v) => v.training), [true, true, true, false, false, false, false]);
  assert.equal(ewmaVerdicts[3]!.gap, true);
  // The interval after the gap is not judged (it may hold the gap's traffic): no score, and no
  // threshold shown, since none was judged with before it; the options' k = 100 from then on.
  assert.ok(Number.isNaN(ewmaVerdicts[4]!.score) && Number.isNaN(ewmaVerdicts[4]!.threshold) && !ewmaVerdicts[4]!.alarm);
  assert.ok(ewmaVerdicts.slice(5).every((v) => v.threshold === 100));
});

test('createDetectors: the default parameters build all eleven detectors', () => {
  assert.deepEqual(
    createDetectors(detectorsSchema.parse({})).map((d) => d.name),
    ['control-chart', 'ewma', 'pair-ratio', 'three-tier', 'new-edge', 'eigenspace', 'pca-subspace', 'cusum', 'path', 'midas', 'graph-lasso'],
  );
});

test('createDetectors: every bad option is reported at once, naming detector and field', () => {
  assert.throws(
    () =>
      createDetectors(
        detectorsSchema.parse({
          enabled: ['ewma'],
          // control-chart is not enabled: its options are still checked.
          options: { ewma: { lambda: 2 }, 'control-chart': { windowIntervals: 1.5 } },
        }),
      ),
    (e: unknown) =>
      e instanceof UserError &&
      /detectors\.options\.ewma\.lambda: .*\(got 2\)/.test(e.message) &&
      /detectors\.options\.control-chart\.windowIntervals: .*\(got 1\.5\)/.test(e.message),
  );
});

test('createDetectors: an unknown detector name in options is named', () => {
  assert.throws(
    () => createDetectors(detectorsSchema.parse({ options: { ewmaa: { lambda: 0.1 } } })),
    (e: unknown) => e instanceof UserError && /detectors\.options\.ewmaa: unknown detector "ewmaa" \(known: control-chart, ewma/.test(e.message),
  );
});
