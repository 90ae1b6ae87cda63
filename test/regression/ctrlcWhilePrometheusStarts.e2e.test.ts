// Bug: a Ctrl-C while the managed Prometheus was starting printed "unexpected error (a bug…)"
// with a stack trace, exit 1, and left the run folder saying "complete": true with 0 intervals.
// The Ctrl-C reaches the Prometheus too (same process group); its start-up then failed with a
// plain Error ("prometheus was killed by SIGINT during start-up"), which runExperiment rethrew,
// and its finally marked the run complete, as it did for any failure after the run folder existed.
// Now a stop during the start-up is an interruption (exit 130, complete: false), and a failure
// after the run folder exists leaves it complete: false.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/experiment/index.ts';
import { captureLog, makeTempDir, requireBinaryOrSkip, runningDescendants } from '../util.ts';
import { ctrlcExperiment } from './ctrlcExperiment.ts';
import { fakeLocustExperiment } from './fakeLocustExperiment.ts';

describe('Ctrl-C while the managed Prometheus starts (regression)', { timeout: 120_000 }, () => {
  it('npm run experiment: exit 130, no "unexpected error", the run says complete: false, nothing left running', async (t) => {
    if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
    const tmp = makeTempDir('munnin-ctrlc-prometheus-');
    try {
      const outcome = await ctrlcExperiment(
        tmp.dir,
        'prom',
        `{ outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 20, intervalSeconds: 1, telemetry: { source: 'prometheus' }, traffic: { generator: 'builtin', users: 2 }, mesh: { customers: 20 }, exfiltration: [{ atSeconds: 8.1, bytes: 20000, method: 'api' }], detectors: { trainingSeconds: 5 } }`,
        /starting a local Prometheus/,
        // The Ctrl-C must find the server started, not yet ready (it needs a few scrapes).
        (pid) => runningDescendants('prometheus', pid).length > 0,
      );
      assert.equal(outcome.code, 130, outcome.stderr);
      assert.doesNotMatch(outcome.stderr, /unexpected error|\n\s+at /);
      assert.match(outcome.stderr, /interrupted: 0 intervals kept in .*complete: false/);
      const manifest = JSON.parse(readFileSync(join(tmp.dir, 'prom', 'run.json'), 'utf8')) as { complete: boolean; intervals: number };
      assert.equal(manifest.complete, false);
      assert.equal(manifest.intervals, 0);
      assert.deepEqual(outcome.left, [], 'processes left running');
    } finally {
      tmp.remove();
    }
  });

  it('a failure after the run folder exists (Locust cannot start) is rethrown and the run says complete: false', async () => {
    const tmp = makeTempDir('munnin-failed-start-');
    const log = captureLog();
    try {
      // Answers --version (so it counts as installed), then fails as a broken install would.
      const params = fakeLocustExperiment(tmp.dir, 'echo "ImportError: no module named locust" >&2\nexit 3\n');
      await assert.rejects(runExperiment(params, 'broken', { progress: false }), /locust did not start its users: exited \(code 3\)/);
      const manifest = JSON.parse(readFileSync(join(tmp.dir, 'broken', 'run.json'), 'utf8')) as { complete: boolean; intervals: number };
      assert.equal(manifest.complete, false);
      assert.equal(manifest.intervals, 0);
    } finally {
      log.restore();
      tmp.remove();
    }
  });
});
