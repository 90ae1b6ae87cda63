import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { from, toArray } from 'rxjs';
import { detectorsSchema } from '../../src/config/schema.ts';
import { createDetectors, DETECTOR_NAMES, runDetectors, vectorize } from '../../src/detectors/index.ts';
import { decodeSnapshot } from '../../src/store/index.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';

// The real 2018 Munnin run (only tcp_sent_bytes / tcp_received_bytes, noisy, bursty), decoded
// line by line with the store's line codec rather than read with the run reader.
const fixture = new URL('../fixtures/munnin-cybermonday-30k/', import.meta.url);

test('every detector runs on the Munnin run and scores every interval after training with a finite number', () => {
  const { metrics } = JSON.parse(readFileSync(new URL('run.json', fixture), 'utf8')) as { metrics: string[] };
  const lines = readFileSync(new URL('snapshots.ndjson', fixture), 'utf8').split('\n').filter((line) => line.trim() !== '');
  const snapshots = lines.map((line): Snapshot => {
    const decoded = decodeSnapshot(JSON.parse(line), metrics);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.problem);
    return decoded.snapshot;
  });
  assert.ok(snapshots.length > 60);
  const detectors = createDetectors(detectorsSchema.parse({ enabled: DETECTOR_NAMES, trainingSeconds: 60 }));
  let verdicts: Verdict[] = [];
  from(snapshots)
    .pipe(vectorize(), runDetectors(detectors), toArray())
    .subscribe((v) => (verdicts = v));
  assert.equal(verdicts.length, snapshots.length * detectors.length);
  // Training = intervals ending within 60 s of the run's start (the slices drift a few ms late, so 11 of them).
  const start = snapshots[0]!.t - snapshots[0]!.dt;
  const trainingCount = snapshots.filter((s) => s.t - start <= 60).length;
  assert.equal(trainingCount, 11);
  for (const name of DETECTOR_NAMES) {
    const mine = verdicts.filter((v) => v.detector === name);
    const training = mine.filter((v) => v.training);
    const scored = mine.filter((v) => !v.training && !v.gap);
    assert.equal(training.length, trainingCount, `${name}: the first 60 s train`);
    assert.ok(training.every((v) => !v.alarm), `${name}: no alarm in training`);
    assert.equal(scored.length, snapshots.length - trainingCount);
    for (const v of scored) {
      assert.ok(Number.isFinite(v.score), `${name} at t=${v.t}: score ${v.score}`);
    }
  }
});
