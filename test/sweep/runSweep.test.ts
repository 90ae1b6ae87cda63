import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters, type Parameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { InterruptedBeforeRun, type ExperimentHooks, type ExperimentResult } from '../../src/experiment/index.ts';
import {
  estimateRemainingMillis,
  formatDuration,
  planSweep,
  readSweepIndex,
  resolveSweep,
  runSweep,
  SweepProgress,
  type ExperimentRunner,
  type SweepPlan,
} from '../../src/sweep/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

// runSweep's bookkeeping (order, resume, sweep.json) with a stand-in for runExperiment that
// writes a minimal run folder; the real experiments are in sweep.e2e.test.ts.

interface Call {
  readonly name: string;
  readonly params: Parameters;
}

/** Writes <outputDir>/<run>/run.json as runExperiment does: complete unless aborted (or told to fail). */
function standIn(calls: Call[], options: { failOn?: string } = {}): ExperimentRunner {
  return async (params: Parameters, name: string, hooks: ExperimentHooks): Promise<ExperimentResult> => {
    calls.push({ name, params });
    if (name === options.failOn) throw new Error(`boom in ${name}`);
    const dir = join(params.outputDir, name);
    mkdirSync(dir, { recursive: true });
    const complete = !hooks.signal?.aborted;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', name, intervalSeconds: 1, metrics: ['requests'], createdAt: `${calls.length}`, complete }));
    return { dir, complete, intervals: 1, gaps: 0, exfiltrations: 0, scans: 0, lateralMovements: 0, alarms: 0 };
  };
}

function makePlan(outputDir: string, overrides: { durationSeconds?: number; users?: number[]; axisPath?: string } = {}): SweepPlan {
  const base = resolveParameters({ outputDir, durationSeconds: overrides.durationSeconds ?? 30, exfiltration: [{ atSeconds: 20, bytes: 1000, method: 'api' }], detectors: { trainingSeconds: 5 } });
  return planSweep(
    resolveSweep(
      {
        name: 'swp',
        axes: {
          users: { path: overrides.axisPath ?? 'traffic.users', values: overrides.users ?? [2, 4] },
          shape: { path: 'traffic.shape', values: ['constant', 'bursty'] },
          k: { path: 'detectors.options.ewma.k', values: [2, 3] },
        },
      },
      base,
    ),
  );
}

const quiet = { progress: false } as const;

describe('runSweep', () => {
  it('records every run in plan order and indexes them in sweep.json', async () => {
    const tmp = makeTempDir();
    try {
      const calls: Call[] = [];
      const plan = makePlan(tmp.dir);
      const result = await runSweep(plan, { ...quiet, runner: standIn(calls) });
      assert.deepEqual(calls.map((c) => c.name), ['users=2_shape=constant_r1', 'users=2_shape=bursty_r1', 'users=4_shape=constant_r1', 'users=4_shape=bursty_r1']);
      assert.equal(calls[2]!.params.traffic.users, 4);
      assert.equal(calls[2]!.params.outputDir, join(tmp.dir, 'swp'));
      assert.deepEqual([result.complete, result.total, result.recorded, result.skipped], [true, 4, 4, 0]);
      const index = readSweepIndex(join(tmp.dir, 'swp'));
      assert.equal(index.format, 'munnin-sweep/1');
      assert.equal(index.name, 'swp');
      assert.equal(index.repeats, 1);
      assert.deepEqual(index.axes.map((a) => [a.name, a.side]), [['users', 'experiment'], ['shape', 'experiment'], ['k', 'detector']]);
      assert.deepEqual(index.runs[1], { name: 'users=2_shape=bursty_r1', axisValues: { users: 2, shape: 'bursty' }, repeat: 1, status: 'complete' });
      assert.equal((index.base as { durationSeconds?: number }).durationSeconds, 30);
      assert.equal('outputDir' in index.base, false);
    } finally {
      tmp.remove();
    }
  });

  it('stops after an abort and, run again, records only what is missing', async () => {
    const tmp = makeTempDir();
    try {
      const calls: Call[] = [];
      const controller = new AbortController();
      const first = await runSweep(makePlan(tmp.dir), { ...quiet, runner: standIn(calls), signal: controller.signal, onRunEnd: () => controller.abort() });
      assert.deepEqual([first.complete, first.recorded], [false, 1]);
      assert.deepEqual(readSweepIndex(first.dir).runs.map((r) => r.status), ['complete', 'pending', 'pending', 'pending']);
      const firstManifest = readFileSync(join(first.dir, 'users=2_shape=constant_r1', 'run.json'), 'utf8');

      const again: Call[] = [];
      const second = await runSweep(makePlan(tmp.dir), { ...quiet, runner: standIn(again) });
      assert.deepEqual(again.map((c) => c.name), ['users=2_shape=bursty_r1', 'users=4_shape=constant_r1', 'users=4_shape=bursty_r1']);
      assert.deepEqual([second.complete, second.recorded, second.skipped], [true, 3, 1]);
      assert.equal(readFileSync(join(first.dir, 'users=2_shape=constant_r1', 'run.json'), 'utf8'), firstManifest);
      assert.deepEqual(readSweepIndex(first.dir).runs.map((r) => r.status), ['complete', 'complete', 'complete', 'complete']);
    } finally {
      tmp.remove();
    }
  });

  it('deletes and records again a run left incomplete', async () => {
    const tmp = makeTempDir();
    try {
      const plan = makePlan(tmp.dir);
      await runSweep(plan, { ...quiet, runner: standIn([]) });
      const stale = join(plan.dir, 'users=4_shape=constant_r1');
      writeFileSync(join(stale, 'run.json'), JSON.stringify({ format: 'munnin-run/1', intervalSeconds: 1, metrics: ['requests'], complete: false }));
      writeFileSync(join(stale, 'snapshots.ndjson'), '{"t": 1, "dt": 1, "edges": []}\n');
      const calls: Call[] = [];
      const result = await runSweep(plan, { ...quiet, runner: standIn(calls) });
      assert.deepEqual(calls.map((c) => c.name), ['users=4_shape=constant_r1']);
      assert.equal(existsSync(join(stale, 'snapshots.ndjson')), false, 'the unfinished attempt was removed before recording again');
      assert.equal(result.complete, true);
    } finally {
      tmp.remove();
    }
  });

  it('marks a run that throws as failed and redoes it next time', async () => {
    const tmp = makeTempDir();
    try {
      const plan = makePlan(tmp.dir);
      await assert.rejects(runSweep(plan, { ...quiet, runner: standIn([], { failOn: 'users=2_shape=bursty_r1' }) }), /boom/);
      assert.deepEqual(readSweepIndex(plan.dir).runs.map((r) => r.status), ['complete', 'failed', 'pending', 'pending']);
      const calls: Call[] = [];
      await runSweep(plan, { ...quiet, runner: standIn(calls) });
      assert.deepEqual(calls.map((c) => c.name), ['users=2_shape=bursty_r1', 'users=4_shape=constant_r1', 'users=4_shape=bursty_r1']);
    } finally {
      tmp.remove();
    }
  });

  it('a stop before a run folder existed (a cluster still starting) ends the sweep as interrupted, that run still to do', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const plan = makePlan(tmp.dir);
      const stopped = 'users=2_shape=bursty_r1';
      const standInRun = standIn([]);
      const runner: ExperimentRunner = async (params, name, hooks) => {
        if (name === stopped) throw new InterruptedBeforeRun(join(params.outputDir, name));
        return standInRun(params, name, hooks);
      };
      const result = await runSweep(plan, { ...quiet, runner });
      assert.deepEqual([result.complete, result.recorded], [false, 1]);
      assert.deepEqual(readSweepIndex(plan.dir).runs.map((r) => r.status), ['complete', 'pending', 'pending', 'pending']);
      assert.match(log.text('warn'), /interrupted: 0 intervals kept; .*users=2_shape=bursty_r1 was not created/);
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('continues a sweep whose values grew, and refuses one recorded with other settings', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      await runSweep(makePlan(tmp.dir), { ...quiet, runner: standIn([]) });
      const calls: Call[] = [];
      await runSweep(makePlan(tmp.dir, { users: [2, 4, 8] }), { ...quiet, runner: standIn(calls) });
      assert.deepEqual(calls.map((c) => c.name), ['users=8_shape=constant_r1', 'users=8_shape=bursty_r1']);

      const refused = (plan: SweepPlan, pattern: RegExp) =>
        assert.rejects(runSweep(plan, { ...quiet, runner: standIn([]) }), (e: unknown) => e instanceof UserError && pattern.test(e.message) && /another name/.test(e.message));
      await refused(makePlan(tmp.dir, { durationSeconds: 40 }), /base parameters differ: durationSeconds: 30 → 40/);
      await refused(makePlan(tmp.dir, { axisPath: 'traffic.seed' }), /experiment-side axes were \[users: traffic\.users, shape: traffic\.shape\], now \[users: traffic\.seed/);
      // A folder that is not a sweep is never written into.
      mkdirSync(join(tmp.dir, 'other', 'swp'), { recursive: true });
      writeFileSync(join(tmp.dir, 'other', 'swp', 'notes.txt'), 'mine');
      await refused(makePlan(join(tmp.dir, 'other')), /is not a sweep folder/);
    } finally {
      log.restore();
      tmp.remove();
    }
  });
});

describe('sweep progress', () => {
  it('formats durations', () => {
    assert.deepEqual([formatDuration(0), formatDuration(12_400), formatDuration(245_000), formatDuration(3_720_000)], ['0s', '12s', '4m05s', '1h02m']);
  });

  it('estimates the time left from the cost of each recorded second so far', () => {
    assert.deepEqual(estimateRemainingMillis(0, 0, 90), { millis: 90_000, lowerBound: true });
    // 2 runs of 30 s took 80 s of wall time: 4/3 per recorded second; 90 s left → 120 s.
    assert.deepEqual(estimateRemainingMillis(80_000, 60, 90), { millis: 120_000, lowerBound: false });
  });

  it('says which run of how many, the elapsed time and the ETA', () => {
    let now = 1_000_000;
    const progress = new SweepProgress(false, 'swp', 4, () => now);
    assert.equal(progress.runStarting(1, 'a_r1', 120), 'sweep swp: run 1/4 a_r1 (elapsed 0s, ETA ≥ 2m00s)');
    now += 40_000;
    progress.runEnded(30, true);
    assert.equal(progress.runStarting(2, 'b_r1', 90), 'sweep swp: run 2/4 b_r1 (elapsed 40s, ETA 2m00s)');
    now += 5_000;
    progress.runEnded(30, false);
    assert.equal(progress.runStarting(3, 'b_r1', 90), 'sweep swp: run 3/4 b_r1 (elapsed 45s, ETA 2m00s)');
  });
});
