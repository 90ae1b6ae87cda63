import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

// Shape only: speed is measured by `npm run bench` itself, never asserted in tests.
describe('npm run bench -- --json', () => {
  it('prints exactly one JSON object with one entry per size, progress on stderr', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--json', '--sizes', '5,8', '--intervals', '30', '--process-rounds', '0', '--connection-log', '0', '--startup-rounds', '0'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['sizes']);
    assert.equal(out.sizes.length, 2);
    assert.deepEqual(
      out.sizes.map((s: { services: number; intervals: number }) => [s.services, s.intervals]),
      [
        [5, 30],
        [8, 30],
      ],
    );
    for (const s of out.sizes) {
      // Every rate the table shows (full, cold and per CPU second were missing from --json).
      const rates = [
        'parseIntervalsPerSecond',
        'replayIntervalsPerSecond',
        'fullReplayIntervalsPerSecond',
        'coldParseIntervalsPerSecond',
        'coldReplayIntervalsPerSecond',
        'parseIntervalsPerCpuSecond',
        'replayIntervalsPerCpuSecond',
        'fullReplayIntervalsPerCpuSecond',
      ];
      assert.deepEqual(Object.keys(s), ['services', 'edges', 'intervals', ...rates, 'peakRssMegabytes', 'detectors']);
      assert.ok(s.edges >= s.services, 'about 5 edges per service, fewer near the bottom of the call graph');
      for (const key of [...rates, 'peakRssMegabytes']) assert.ok(Number.isFinite(s[key]) && s[key] > 0, key);
      // midas alone by default (issue 19): its rate with parsing, and its cost beyond parsing (may be noise-negative at 30 intervals).
      assert.deepEqual(Object.keys(s.detectors), ['midas']);
      assert.ok(s.detectors.midas.intervalsPerSecond > 0 && Number.isFinite(s.detectors.midas.microsecondsPerInterval), JSON.stringify(s.detectors));
    }
    assert.match(r.stderr, /bench: 8 services/);
  });

  it('adds whole-process replays, the connection-log-shaped run and the start-up cost when asked', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--json', '--sizes', '5', '--intervals', '30', '--process-rounds', '2', '--connection-log', '40', '--startup-rounds', '1', '--per-detector', 'none', '--connection-log-detectors', 'midas,new-edge', '--process-detectors', 'control-chart,ewma'],
      { cwd: root, encoding: 'utf8', timeout: 300_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['sizes', 'connectionLog', 'startup']);
    const whole = out.sizes[0].process;
    // Two rounds as asked, unless the first took over 10 s (the documented cut: a loaded machine).
    assert.ok(whole.rounds === 2 || (whole.rounds === 1 && whole.seconds > 10), JSON.stringify(whole));
    assert.ok(whole.seconds > 0 && whole.cpuSeconds > 0 && whole.peakRssMegabytes > 10, JSON.stringify(whole));
    assert.equal(out.sizes[0].detectors, undefined, '--per-detector none');
    assert.deepEqual(whole.detectors, ['control-chart', 'ewma'], '--process-detectors is recorded with the figures it gave');
    assert.equal(out.connectionLog.intervals, 40);
    assert.equal(out.connectionLog.nodes, 20_000);
    assert.deepEqual(out.connectionLog.detectors, ['midas', 'new-edge']);
    assert.ok(out.connectionLog.seconds > 0 && out.connectionLog.peakRssMegabytes > 10);
    // RSS sampled in the child: a quarter of the way through and at exit, neither above the peak.
    for (const run of [whole, out.connectionLog]) {
      assert.ok(run.rssQuarterMegabytes > 10 && run.rssEndMegabytes > 10, JSON.stringify(run));
      assert.ok(run.rssQuarterMegabytes <= run.peakRssMegabytes + 1 && run.rssEndMegabytes <= run.peakRssMegabytes + 1, JSON.stringify(run));
    }
    assert.deepEqual(Object.keys(out.startup.nodeHelpSeconds), ['replay', 'experiment']);
    for (const t of [out.startup.nodeNothingSeconds, ...Object.values(out.startup.nodeHelpSeconds)]) assert.ok((t as number) > 0);
    assert.deepEqual(Object.keys(out.startup.nodeHelpCpuSeconds), ['replay', 'experiment']);
    for (const t of [out.startup.nodeNothingCpuSeconds, ...Object.values(out.startup.nodeHelpCpuSeconds)]) assert.ok((t as number) > 0);
    // npm is found (PATH, or the one running `npm test`): its rows are there too.
    assert.ok(out.startup.npmNothingSeconds > 0);
    assert.deepEqual(Object.keys(out.startup.npmHelpSeconds), ['replay', 'experiment']);
    // The replays really ran with the detectors asked (their arguments are in the progress line),
    // and `--threads auto` (the default) was decided before they started: one thread without eigenspace.
    assert.match(r.stderr, /bench: 5 services: whole process 2\/2 \(--detectors control-chart,ewma --threads 1\): /);
    assert.match(r.stderr, /bench: connection log: whole process 1\/1 \(--detectors midas,new-edge --threads 1\): /);
  });

  it('rejects an unknown --per-detector name as a user error', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--per-detector', 'midas,nope'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^error: --per-detector: unknown detector "nope" \(choose from control-chart, /);
  });

  it('rejects an unknown --process-detectors name as a user error', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--process-detectors', 'ewma,numpy'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^error: --process-detectors: unknown detector "numpy" \(choose from control-chart, /);
  });

  it('rejects bad sizes as a user error', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--sizes', '10,lots'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'error: --sizes: expected whole numbers of services ≥ 2 (got "lots")\n');
  });
});
