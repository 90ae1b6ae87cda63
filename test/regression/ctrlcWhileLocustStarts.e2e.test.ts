// Bug: a Ctrl-C while Locust was starting its users (a few seconds of every experiment) was
// ignored: nothing checked the abort after `await traffic.start()`, and the recording listened
// for the signal's 'abort' event, which an already-aborted signal never sends again. The
// experiment recorded its whole duration (all gaps: the managed Prometheus had taken the same
// Ctrl-C) and ran the exfiltrations against the mesh after the user had asked it to stop.
// Now the start-up checks the signal after each step and a recording whose signal is already
// aborted reads nothing. A Ctrl-C landing while Locust is being spawned (before it has its own
// process group) kills it too: its failure to start is then the interruption, not a bug.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { runExperiment } from '../../src/experiment/index.ts';
import { recordSnapshots } from '../../src/experiment/recordSnapshots.ts';
import type { TelemetrySource } from '../../src/types.ts';
import { captureLog, makeTempDir, requireBinaryOrSkip } from '../util.ts';
import { ctrlcExperiment } from './ctrlcExperiment.ts';
import { fakeLocustExperiment } from './fakeLocustExperiment.ts';

describe('Ctrl-C during an experiment\'s start-up (regression)', { timeout: 120_000 }, () => {
  it('a recording whose signal is already aborted reads nothing and starts nothing', () => {
    let reads = 0;
    const source = { kind: 'scrape', read: async (t: number) => (reads++, { kind: 'read', t, samples: [] }), describe: () => ({}), close: async () => {} } as unknown as TelemetrySource;
    const scheduler = new VirtualTimeScheduler();
    let started = false;
    let completed = false;
    recordSnapshots(source, { intervalSeconds: 1, intervals: 5, metrics: ['requests'], signal: AbortSignal.abort(), scheduler, onStart: () => (started = true), onSnapshot: () => {} }).subscribe({ complete: () => (completed = true) });
    scheduler.flush();
    assert.equal(completed, true, 'the recording ends at once');
    assert.equal(reads, 0);
    assert.equal(started, false, 'no clock started, so no exfiltration or attack scheduled');
  });

  it('a Locust killed by the same Ctrl-C while it starts: an interruption (complete: false), not an error', async () => {
    const tmp = makeTempDir('munnin-ctrlc-locust-killed-');
    const log = captureLog();
    try {
      // Answers --version, then says it runs and waits, as Locust does before its users start.
      const started = join(tmp.dir, 'started');
      const params = fakeLocustExperiment(tmp.dir, `echo $$ > ${JSON.stringify(started)}\nexec sleep 60\n`, [{ atSeconds: 6.1, bytes: 20000, method: 'api' }]);
      const controller = new AbortController();
      const running = runExperiment(params, 'killed', { progress: false, signal: controller.signal });
      while (!existsSync(started) || readFileSync(started, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
      // The terminal's Ctrl-C: munnin's handler aborts, and the child being spawned dies of it.
      controller.abort();
      process.kill(Number(readFileSync(started, 'utf8')), 'SIGINT');
      const result = await running;
      assert.equal(result.complete, false);
      assert.equal(result.intervals, 0);
      assert.equal(result.exfiltrations, 0);
      const manifest = JSON.parse(readFileSync(join(tmp.dir, 'killed', 'run.json'), 'utf8')) as { complete: boolean };
      assert.equal(manifest.complete, false);
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('npm run experiment: Ctrl-C while Locust starts stops before the recording, with no exfiltration and nothing left running', async (t) => {
    if (!requireBinaryOrSkip(t, 'locust', 'python3-locust')) return;
    const tmp = makeTempDir('munnin-ctrlc-locust-');
    try {
      const outcome = await ctrlcExperiment(
        tmp.dir,
        'locust',
        `{ outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 20, intervalSeconds: 1, telemetry: { source: 'scrape' }, traffic: { generator: 'locust', users: 2 }, mesh: { customers: 20 }, exfiltration: [{ atSeconds: 8.5, bytes: 20000, method: 'api' }], detectors: { trainingSeconds: 5 } }`,
        /traffic: Locust/,
      );
      assert.equal(outcome.code, 130, outcome.stderr);
      const run = join(tmp.dir, 'locust');
      const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { complete: boolean; intervals: number };
      assert.equal(manifest.complete, false);
      assert.equal(manifest.intervals, 0, 'nothing recorded after the Ctrl-C');
      const events = existsSync(join(run, 'events.ndjson')) ? readFileSync(join(run, 'events.ndjson'), 'utf8') : '';
      assert.doesNotMatch(events, /exfiltration/, 'no exfiltration after the Ctrl-C');
      assert.doesNotMatch(outcome.stderr, /recording:|\n\s+at /);
      assert.deepEqual(outcome.left, [], 'processes left running');
    } finally {
      tmp.remove();
    }
  });
});
