import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { readEvents } from '../../src/store/index.ts';
import { planSweep, readSweepIndex, replaySweep, resolveSweep, runSweep, type SweepComparison, type SweepPlan, type SweepResult } from '../../src/sweep/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

// A real 2 × 2 sweep (exfiltrated bytes × load shape) of 5-second experiments on the embedded
// mesh. The first attempt is stopped during its second run (as Ctrl-C would); the second
// attempt must keep the first run untouched and record the other three. Then the sweep is
// replayed and its comparison checked against the runs' own summary.json files.

const RUNS = ['bytes=20000_shape=constant_r1', 'bytes=20000_shape=bursty_r1', 'bytes=60000_shape=constant_r1', 'bytes=60000_shape=bursty_r1'];

describe('a 2 × 2 sweep of real experiments, interrupted and resumed', { timeout: 150_000 }, () => {
  const tmp = makeTempDir('munnin-sweep-e2e-');
  const log = captureLog();
  const plan = (): SweepPlan => {
    const base = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: 5,
      intervalSeconds: 1,
      telemetry: { source: 'scrape' },
      traffic: { generator: 'builtin', users: 4, shape: 'constant', thinkTimeScale: 0.25 },
      mesh: { customers: 60 },
      exfiltration: [{ atSeconds: 3, bytes: 10_000, method: 'api' }],
      detectors: { trainingSeconds: 2, enabled: ['ewma', 'control-chart'] },
    });
    const sweep = resolveSweep(
      {
        name: 'e2e',
        axes: {
          bytes: { path: 'exfiltration[*].bytes', values: [20_000, 60_000] },
          shape: { path: 'traffic.shape', values: ['constant', 'bursty'] },
        },
      },
      base,
    );
    return planSweep(sweep);
  };
  const dir = join(tmp.dir, 'e2e');
  const manifest = (run: string) => JSON.parse(readFileSync(join(dir, run, 'run.json'), 'utf8')) as { createdAt: string; complete: boolean; parameters: { exfiltration: { bytes: number }[]; traffic: { shape: string } } };
  const mtimes = (run: string) => ['run.json', 'snapshots.ndjson', 'events.ndjson'].map((f) => statSync(join(dir, run, f)).mtimeMs);

  let first: SweepResult;
  let firstRun: { createdAt: string; mtimes: number[] };
  let interruptedCreatedAt: string;
  let second: SweepResult;

  before(async () => {
    const controller = new AbortController();
    let seen = 0;
    first = await runSweep(plan(), {
      progress: false,
      signal: controller.signal,
      // Stop in the middle of the second run: the first is complete, the second is not.
      onSnapshot: (run) => {
        if (run.name === RUNS[1] && ++seen === 2) controller.abort();
      },
    });
    firstRun = { createdAt: manifest(RUNS[0]!).createdAt, mtimes: mtimes(RUNS[0]!) };
    interruptedCreatedAt = manifest(RUNS[1]!).createdAt;
    second = await runSweep(plan(), { progress: false });
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('stops the sweep after an interrupted run, leaving it resumable', () => {
    assert.deepEqual([first.complete, first.recorded, first.skipped], [false, 2, 0]);
    assert.equal(manifest(RUNS[0]!).complete, true);
    assert.deepEqual(
      first.index.runs.map((r) => [r.name, r.status]),
      RUNS.map((name, i) => [name, ['complete', 'interrupted', 'pending', 'pending'][i]]),
    );
  });

  it('resumes without redoing the complete run, and redoes the interrupted one', () => {
    assert.deepEqual([second.complete, second.recorded, second.skipped], [true, 3, 1]);
    assert.equal(manifest(RUNS[0]!).createdAt, firstRun.createdAt);
    assert.deepEqual(mtimes(RUNS[0]!), firstRun.mtimes, "the first run's files were not rewritten");
    assert.notEqual(manifest(RUNS[1]!).createdAt, interruptedCreatedAt, 'the interrupted run was recorded again');
    assert.deepEqual(readSweepIndex(dir).runs.map((r) => r.status), ['complete', 'complete', 'complete', 'complete']);
  });

  it('records each run with its axis values, its exfiltration and its intervals', async () => {
    for (const run of readSweepIndex(dir).runs) {
      const m = manifest(run.name);
      assert.equal(m.complete, true);
      assert.deepEqual(m.parameters.exfiltration.map((x) => x.bytes), [run.axisValues['bytes']]);
      assert.equal(m.parameters.traffic.shape, run.axisValues['shape']);
      const exfiltrations = (await readEvents(join(dir, run.name))).filter((e) => e.kind === 'exfiltration');
      assert.equal(exfiltrations.length, 1, `${run.name}: one exfiltration`);
      assert.ok(exfiltrations[0]!.bytes! >= (run.axisValues['bytes'] as number), `${run.name}: moved ${exfiltrations[0]!.bytes} bytes`);
      const snapshots = readFileSync(join(dir, run.name, 'snapshots.ndjson'), 'utf8').trim().split('\n');
      assert.equal(snapshots.length, 5, `${run.name}: intervals`);
    }
  });

  describe('replayed', () => {
    let comparison: SweepComparison;
    before(async () => {
      comparison = await replaySweep(dir, { progress: false });
    });

    it('has comparison values equal to the aggregates of the per-run summaries', () => {
      const csv = readFileSync(join(dir, 'comparison.csv'), 'utf8').trim().split('\n');
      const header = csv[0]!.split(',');
      assert.deepEqual(header.slice(0, 4), ['detector', 'bytes', 'shape', 'runs']);
      assert.equal(csv.length, 1 + RUNS.length * 2);
      for (const run of readSweepIndex(dir).runs) {
        // One repeat: each aggregate is the run's own value (n 1, no spread), or empty with n 0 when undefined.
        const summary = JSON.parse(readFileSync(join(dir, run.name, 'replay', 'summary.json'), 'utf8')) as { detectors: Record<string, Record<string, number | null>> };
        for (const detector of ['ewma', 'control-chart']) {
          const line = csv.find((l) => l.startsWith(`${detector},${run.axisValues['bytes']},${run.axisValues['shape']},`));
          assert.ok(line, `${detector} ${run.name}`);
          const cells = Object.fromEntries(line.split(',').map((c, i) => [header[i]!, c]));
          assert.equal(cells['runs'], '1');
          for (const metric of ['tpr', 'fpr', 'f1', 'auc']) {
            const value = summary.detectors[detector]![metric];
            assert.equal(cells[`${metric}_mean`], value === null || value === undefined ? '' : String(value), `${detector} ${run.name} ${metric}`);
            assert.equal(cells[`${metric}_std`], '');
            assert.equal(cells[`${metric}_n`], value === null || value === undefined ? '0' : '1');
          }
        }
      }
      assert.equal(comparison.rows.length, RUNS.length * 2);
    });

    it('charts F1 against the exfiltrated bytes, one chart per load shape', () => {
      assert.deepEqual(
        comparison.files.filter((f) => f.endsWith('.png')).map((f) => f.slice(dir.length + 1)),
        ['f1-vs-bytes_shape=constant.png', 'f1-vs-bytes_shape=bursty.png'],
      );
    });
  });
});
