import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMain } from '../../src/cli/export.ts';
import { resolveParameters, type Parameters } from '../../src/config/index.ts';
import type { ExperimentHooks, ExperimentResult } from '../../src/experiment/index.ts';
import { parseCsv } from '../../src/report/index.ts';
import { planSweep, readSweepIndex, replaySweep, resolveSweep, runSweep } from '../../src/sweep/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

// `npm run export -- <sweep folder>`: a sweep of 2 sizes (experiment side) replayed with 2
// values of ewma's k (detector side), recorded by a stand-in for the experiment and replayed
// for real. Every expectation is read from the sweep's own files (sweep.json, each replay's
// scores.csv and alerts.ndjson), not from the export code.

const INTERVALS = 30;

async function syntheticRun(params: Parameters, name: string, _hooks: ExperimentHooks): Promise<ExperimentResult> {
  const dir = join(params.outputDir, name);
  mkdirSync(dir, { recursive: true });
  const t0 = 1_700_000_000;
  const bytes = params.exfiltration[0]!.bytes;
  const lines: string[] = [];
  for (let i = 1; i <= INTERVALS; i++) {
    const extra = i === 25 ? bytes : 0;
    lines.push(JSON.stringify({ t: t0 + i, dt: 1, edges: [{ src: 'front-end', dst: 'user', response_bytes: 4000 + ((i * 37) % 900) + extra }, { src: 'front-end', dst: 'catalogue', response_bytes: 3000 + ((i * 53) % 700) }] }));
  }
  writeFileSync(join(dir, 'snapshots.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify({ kind: 'exfiltration', start: t0 + 24.2, end: t0 + 24.6, bytes, path: ['user', 'front-end', 'external'] })}\n`);
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', name, intervalSeconds: 1, metrics: ['response_bytes'], parameters: params, complete: true }));
  return { dir, complete: true, intervals: INTERVALS, gaps: 0, exfiltrations: 1, scans: 0, lateralMovements: 0, alarms: 0 };
}

const csv = (path: string) => parseCsv(readFileSync(path, 'utf8')).map((r) => r.fields);

describe('npm run export -- <sweep folder>', { timeout: 60_000 }, () => {
  const tmp = makeTempDir('munnin-export-sweep-');
  const log = captureLog();
  let dir: string;
  const printed: string[] = [];

  before(async () => {
    const base = resolveParameters({ outputDir: tmp.dir, durationSeconds: INTERVALS, intervalSeconds: 1, exfiltration: [{ atSeconds: 24, bytes: 1000, method: 'api' }], detectors: { trainingSeconds: 10, enabled: ['ewma'] } });
    const sweep = resolveSweep({ name: 'exp', repeats: 1, axes: { bytes: { path: 'exfiltration[*].bytes', values: [300, 30_000] }, k: { path: 'detectors.options.ewma.k', values: [2, 4] } } }, base);
    dir = (await runSweep(planSweep(sweep), { progress: false, runner: syntheticRun })).dir;
    await replaySweep(dir, { progress: false });
    assert.equal(await exportMain([dir], (t) => printed.push(t)), 0);
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('writes traffic.csv over all runs, with run, repeat and the experiment-side axis', () => {
    const rows = csv(join(dir, 'export', 'traffic.csv'));
    assert.deepEqual(rows[0], ['run', 'repeat', 'bytes', 't', 'src', 'dst', 'metric', 'value']);
    const runs = readSweepIndex(dir).runs;
    assert.equal(runs.length, 2);
    for (const run of runs) {
      const mine = rows.slice(1).filter((r) => r[0] === run.name);
      assert.equal(mine.length, INTERVALS * 2, `${run.name}: 2 edges × 1 metric per interval`);
      assert.ok(mine.every((r) => r[1] === '1' && r[2] === String(run.axisValues['bytes'])));
    }
    assert.match(printed.join(''), /sweep .*: 2 runs\n/);
  });

  it('writes scores.csv and alerts.csv with variant and the detector-side axis, one block per run and variant', () => {
    const scores = csv(join(dir, 'export', 'scores.csv'));
    const alerts = csv(join(dir, 'export', 'alerts.csv'));
    assert.deepEqual(scores[0], ['run', 'repeat', 'bytes', 'variant', 'k', 't', 'detector', 'score', 'threshold', 'alarm', 'training', 'attack', 'grace']);
    assert.deepEqual(alerts[0], ['run', 'repeat', 'bytes', 'variant', 'k', 't', 'detector', 'score', 'threshold', 'attack', 'rank', 'src', 'dst', 'metric', 'blamedScore']);
    let alertRows = 0;
    for (const run of readSweepIndex(dir).runs) {
      for (const [variant, k] of [['k=2', '2'], ['k=4', '4']] as const) {
        const replay = join(dir, run.name, 'replay', variant);
        const own = csv(join(replay, 'scores.csv')).slice(1);
        const mine = scores.slice(1).filter((r) => r[0] === run.name && r[3] === variant);
        assert.ok(mine.every((r) => r[4] === k && r[2] === String(run.axisValues['bytes'])));
        const scored = mine.filter((r) => r[10] === 'false');
        assert.deepEqual(
          scored.map((r) => [r[5], r[6], r[7], r[8], r[9]]),
          own.map((r) => r.slice(0, 5)),
          `${run.name} ${variant}: replay's own rows`,
        );
        // Training: 10 s → intervals ending at +1 … +10.
        assert.equal(mine.filter((r) => r[10] === 'true').length, 10);
        const lines = readFileSync(join(replay, 'alerts.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { blamed: unknown[] });
        const expected = lines.reduce((n, a) => n + Math.max(1, a.blamed.length), 0);
        assert.equal(alerts.slice(1).filter((r) => r[0] === run.name && r[3] === variant).length, expected);
        alertRows += expected;
      }
    }
    assert.ok(alertRows > 0, 'the case has alerts');
    assert.equal(alerts.length - 1, alertRows);
  });

  // Bug (6 Dec): the export planned its variants from sweep.json only. A sweep replayed with
  // other detector-side axes (parameters.ts's own `sweep`) has other variant folders, and a
  // re-replay removes the older ones: the export then found no scores and said to replay first.
  // It now plans from the latest replay's comparison.json.
  it('after a replay with another detector-side axis, exports that replay’s variants and axis', async () => {
    const base = resolveParameters({ outputDir: tmp.dir, durationSeconds: INTERVALS, intervalSeconds: 1, exfiltration: [{ atSeconds: 24, bytes: 1000, method: 'api' }], detectors: { trainingSeconds: 10, enabled: ['ewma'] } });
    const other = resolveSweep({ name: 'exp', repeats: 1, axes: { lambda: { path: 'detectors.options.ewma.lambda', values: [0.2, 0.3] } } }, base);
    await replaySweep(dir, { progress: false, detectorAxes: other.axes.filter((a) => a.side === 'detector') });
    const out: string[] = [];
    assert.equal(await exportMain([dir], (t) => out.push(t)), 0);
    assert.doesNotMatch(out.join(''), /run npm run replay/);
    const scores = csv(join(dir, 'export', 'scores.csv'));
    assert.deepEqual(scores[0], ['run', 'repeat', 'bytes', 'variant', 'lambda', 't', 'detector', 'score', 'threshold', 'alarm', 'training', 'attack', 'grace']);
    for (const run of readSweepIndex(dir).runs) {
      for (const [variant, lambda] of [['lambda=0.2', '0.2'], ['lambda=0.3', '0.3']] as const) {
        const own = csv(join(dir, run.name, 'replay', variant, 'scores.csv')).slice(1);
        const mine = scores.slice(1).filter((r) => r[0] === run.name && r[3] === variant);
        assert.ok(mine.length > 0 && mine.every((r) => r[4] === lambda), `${run.name} ${variant}`);
        // The export writes a score or threshold that is not a finite number as empty (README): the calibrated limit's first NaNs.
        const finite = (v: string) => (Number.isFinite(Number(v)) ? v : '');
        assert.deepEqual(mine.filter((r) => r[10] === 'false').map((r) => [r[5], r[6], r[7], r[8], r[9]]), own.map((r) => [r[0], r[1], finite(r[2]!), finite(r[3]!), r[4]]));
      }
    }
  });
});
