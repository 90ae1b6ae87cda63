import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters, type Parameters } from '../../src/config/index.ts';
import type { ExperimentHooks, ExperimentResult } from '../../src/experiment/index.ts';
import { isSweepDir, planSweep, readSweepIndex, replaySweep, replaySweepCommand, resolveSweep, runSweep, type SweepComparison } from '../../src/sweep/index.ts';
import { assertDrawnPng } from '../report/pngCheck.ts';
import { captureLog, makeTempDir } from '../util.ts';

// Replay and comparison of a sweep of 2 sizes × 3 repeats, replayed with 2 values of a
// detector option: the runs are synthetic (written in the run format by a stand-in for the
// experiment, with seeded noise so repeats differ), everything after is the real replay.
// The comparison is checked against aggregates computed here from the summary.json files.

const INTERVALS = 40;
const ATTACK_AT = 28;

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A run in the run format: noisy benign traffic, one exfiltration of the run's bytes at ATTACK_AT. */
async function syntheticRun(params: Parameters, name: string, _hooks: ExperimentHooks): Promise<ExperimentResult> {
  const dir = join(params.outputDir, name);
  mkdirSync(dir, { recursive: true });
  const random = prng(params.traffic.seed * 7919 + params.exfiltration[0]!.bytes);
  const t0 = 1_700_000_000;
  const bytes = params.exfiltration[0]!.bytes;
  const lines: string[] = [];
  for (let i = 1; i <= INTERVALS; i++) {
    const extra = i === ATTACK_AT + 1 ? bytes : 0;
    const noise = () => Math.round(4000 + 1500 * random());
    lines.push(
      JSON.stringify({
        t: t0 + i,
        dt: 1,
        edges: [
          { src: 'front-end', dst: 'user', requests: 5, response_bytes: noise() + extra },
          { src: 'user', dst: 'user-db', tcp_sent_bytes: noise() + extra },
          { src: 'front-end', dst: 'catalogue', requests: 9, response_bytes: noise() },
          // A one-off spike in some runs: false alarms that differ between repeats.
          ...(random() < 0.2 ? [{ src: 'front-end', dst: 'carts', requests: 1, response_bytes: Math.round(20_000 * random()) }] : []),
        ],
      }),
    );
  }
  writeFileSync(join(dir, 'snapshots.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify({ kind: 'exfiltration', start: t0 + ATTACK_AT + 0.2, end: t0 + ATTACK_AT + 0.6, bytes, method: 'api' })}\n`);
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', name, intervalSeconds: 1, metrics: ['requests', 'response_bytes', 'tcp_sent_bytes'], parameters: params, complete: true }));
  return { dir, complete: true, intervals: INTERVALS, gaps: 0, exfiltrations: 1, scans: 0, lateralMovements: 0, alarms: 0 };
}

const sampleStd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

describe('replaySweep', { timeout: 60_000 }, () => {
  const tmp = makeTempDir('munnin-sweep-replay-');
  const log = captureLog();
  let dir: string;
  let comparison: SweepComparison;

  before(async () => {
    const base = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: INTERVALS,
      intervalSeconds: 1,
      exfiltration: [{ atSeconds: ATTACK_AT, bytes: 1000, method: 'api' }],
      detectors: { trainingSeconds: 15, enabled: ['ewma', 'control-chart'] },
    });
    const sweep = resolveSweep(
      {
        name: 'cmp',
        repeats: 3,
        axes: {
          bytes: { path: 'exfiltration[*].bytes', values: [300, 30_000] },
          k: { path: 'detectors.options.ewma.k', values: [2, 4] },
        },
      },
      base,
    );
    const recorded = await runSweep(planSweep(sweep), { progress: false, runner: syntheticRun });
    dir = recorded.dir;
    comparison = await replaySweep(dir, { progress: false });
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('replays every run once per detector-side value, into replay/<variant>/', () => {
    assert.equal(isSweepDir(dir), true);
    assert.equal(comparison.replays.length, 6 * 2);
    for (const run of readSweepIndex(dir).runs) {
      for (const variant of ['k=2', 'k=4']) {
        const summary = JSON.parse(readFileSync(join(dir, run.name, 'replay', variant, 'summary.json'), 'utf8')) as { detectors: Record<string, unknown> };
        assert.deepEqual(Object.keys(summary.detectors).sort(), ['control-chart', 'ewma']);
        assert.ok(existsSync(join(dir, run.name, 'replay', variant, 'scores.csv')));
      }
    }
  });

  it('has comparison values equal to the aggregates of the per-run summaries', () => {
    const index = readSweepIndex(dir);
    const table = JSON.parse(readFileSync(join(dir, 'comparison.json'), 'utf8')) as {
      rows: { detector: string; axisValues: Record<string, unknown>; runs: number; [m: string]: unknown }[];
    };
    let checkedSpread = 0;
    for (const bytes of [300, 30_000]) {
      for (const k of [2, 4]) {
        for (const detector of ['ewma', 'control-chart']) {
          const summaries = index.runs
            .filter((r) => r.axisValues['bytes'] === bytes)
            .map((r) => JSON.parse(readFileSync(join(dir, r.name, 'replay', `k=${k}`, 'summary.json'), 'utf8')) as { detectors: Record<string, Record<string, number | null>> });
          assert.equal(summaries.length, 3);
          // k is ewma's option: control-chart's replays with k=2 and k=4 are the same, listed once without k.
          const row = table.rows.find((r) => r.detector === detector && r.axisValues['bytes'] === bytes && (detector === 'ewma' ? r.axisValues['k'] === k : !('k' in r.axisValues)));
          assert.ok(row, `row ${detector} bytes=${bytes} k=${k}`);
          if (detector === 'control-chart') {
            const other = index.runs
              .filter((r) => r.axisValues['bytes'] === bytes)
              .map((r) => JSON.parse(readFileSync(join(dir, r.name, 'replay', `k=${k === 2 ? 4 : 2}`, 'summary.json'), 'utf8')) as { detectors: Record<string, unknown> });
            assert.deepEqual(other.map((s) => s.detectors[detector]), summaries.map((s) => s.detectors[detector]));
          }
          assert.equal(row.runs, 3);
          // The promise pooled over the three repeats, from their own summaries; ewma's k is a fixed limit: it promises no rate.
          const promises = summaries.map((s) => (s.detectors[detector] as unknown as { falseAlarmPromise?: { judgedIntervals: number; episodes: number } }).falseAlarmPromise);
          const pooled = row['promise'] as { judgedIntervals: number; episodes: number; runs: number } | undefined;
          if (detector === 'ewma') assert.deepEqual([promises.every((p) => p === undefined), pooled], [true, undefined]);
          else {
            assert.ok(promises.every((p) => p !== undefined));
            assert.deepEqual([pooled?.judgedIntervals, pooled?.episodes, pooled?.runs], [promises.reduce((a, p) => a + p!.judgedIntervals, 0), promises.reduce((a, p) => a + p!.episodes, 0), 3]);
          }
          for (const metric of ['tpr', 'fpr', 'f1', 'auc']) {
            const values = summaries.map((s) => s.detectors[detector]![metric]).filter((v): v is number => typeof v === 'number');
            const stat = row[metric] as { mean: number | null; std: number | null; n: number };
            assert.equal(stat.n, values.length, `${detector} ${bytes} k=${k} ${metric} n`);
            if (values.length === 0) assert.equal(stat.mean, null);
            else assert.ok(Math.abs(stat.mean! - values.reduce((a, b) => a + b, 0) / values.length) < 1e-12, `${metric} mean`);
            if (values.length < 2) assert.equal(stat.std, null);
            else {
              assert.ok(Math.abs(stat.std! - sampleStd(values)) < 1e-12, `${metric} std`);
              if (stat.std! > 0) checkedSpread += 1;
            }
          }
        }
      }
    }
    assert.ok(checkedSpread > 0, 'repeats differ somewhere, so the spread was really checked');
    // The CSV carries the same numbers.
    const csv = readFileSync(join(dir, 'comparison.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'detector,bytes,k,runs,tpr_mean,tpr_std,tpr_n,fpr_mean,fpr_std,fpr_n,f1_mean,f1_std,f1_n,auc_mean,auc_std,auc_n,uncalibrated_runs,false_alarm_episodes,judged_benign_intervals,promise_p');
    // ewma: 2 sizes × 2 k; control-chart: 2 sizes (k left empty).
    assert.equal(csv.length, 1 + 4 + 2);
    assert.equal(table.rows.filter((r) => r.detector === 'control-chart').length, 2);
    for (const line of csv.slice(1)) {
      const [detector, bytes, k, runs, , , , , , , f1Mean] = line.split(',');
      const row = table.rows.find((r) => r.detector === detector && r.axisValues['bytes'] === Number(bytes) && (k === '' ? !('k' in r.axisValues) : r.axisValues['k'] === Number(k)))!;
      assert.equal(Number(runs), row.runs);
      assert.equal(f1Mean === '' ? null : Number(f1Mean), (row['f1'] as { mean: number | null }).mean);
    }
  });

  it('finds the big exfiltration easier to detect than the small one', () => {
    // Sanity of the whole chain: 30 kB on top of ~5 kB per interval stands out; 300 B hardly.
    const tpr = (bytes: number) => comparison.rows.find((r) => r.detector === 'ewma' && r.axisValues['bytes'] === bytes && r.axisValues['k'] === 4)!.tpr.mean;
    assert.equal(tpr(30_000), 1);
    assert.ok((tpr(300) ?? 0) < 1);
  });

  it('draws F1 against the exfiltrated bytes, one chart per other-axis value', async () => {
    const charts = comparison.files.filter((f) => f.endsWith('.png')).map((f) => f.slice(dir.length + 1));
    assert.deepEqual(charts, ['f1-vs-bytes_k=2.png', 'f1-vs-bytes_k=4.png']);
    await assertDrawnPng(join(dir, 'f1-vs-bytes_k=2.png'), { width: 900, height: 520 });
  });

  it('sweeps injected rates and detector axes from a parameters module, without new experiments', async () => {
    const module = join(tmp.dir, 'params.mjs');
    writeFileSync(
      module,
      `export const parameters = { durationSeconds: ${INTERVALS}, intervalSeconds: 1, exfiltration: [], detectors: { trainingSeconds: 15, enabled: ['ewma'] } };\n` +
        `export const sweep = { axes: { lambda: { path: 'detectors.options.ewma.lambda', values: [0.1, 0.3] } }, inject: { bytesPerInterval: [2000, 50000], at: [{ startSeconds: 20, endSeconds: 24 }] } };\n`,
    );
    let out = '';
    const code = await replaySweepCommand(dir, { parameters: module, quiet: true }, (t) => (out += t));
    assert.equal(code, 0);
    assert.match(out, /sweep cmp: 24 replays of 6 runs/);
    assert.match(out, /^detector\s+bytes\s+lambda\s+inject B\/interval\s+runs\s+TPR\s+FPR\s+F1\s+AUC$/m);
    // Marked: the window (20-24 s) starts while ewma's limit still calibrates (15 s of training + 20 intervals of 1 s: 15-35 s).
    assert.match(out, /^ewma \*\s+30000\s+0\.3\s+50000\s+3\s/m);
    assert.ok(existsSync(join(dir, 'bytes=300_r2', 'replay', 'lambda=0.3_inject=50000', 'summary.json')));
    assert.ok(existsSync(join(dir, 'f1-vs-rate_bytes=30000_lambda=0.1.png')));
    const csv = readFileSync(join(dir, 'comparison.csv'), 'utf8').split('\n');
    assert.equal(csv[0]!.split(',').slice(0, 5).join(','), 'detector,bytes,lambda,inject_bytes_per_interval,runs');
    assert.equal(csv.length - 2, 2 * 2 * 2);
  });

  it('refuses --speed and explains', async () => {
    await assert.rejects(replaySweepCommand(dir, { speed: 2 }), /--speed paces the replay of one run/);
  });
});
