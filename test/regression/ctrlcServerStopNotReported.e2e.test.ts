// Bug: every Ctrl-C during an experiment printed "managed prometheus (pid …) exited with code 0:
// it was asked to stop by something other than munnin (Ctrl-C, SIGTERM), so it is not
// restarted", which reads like a fault right after the user pressed Ctrl-C. The Ctrl-C reaches
// the server too (same process group), and its supervisor did not know munnin was stopping.
// Now it is given the experiment's abort signal: a server ending while munnin stops is neither
// reported nor restarted. With Locust, whose stop takes a while, munnin stops the server only
// after it has ended on its own, as in a terminal; the built-in generator stops too fast for that.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, requireBinaryOrSkip } from '../util.ts';
import { ctrlcExperiment } from './ctrlcExperiment.ts';

it('Ctrl-C while recording through the managed Prometheus: no message about the server stopping (regression)', { timeout: 120_000 }, async (t) => {
  if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus') || !requireBinaryOrSkip(t, 'locust', 'python3-locust')) return;
  const tmp = makeTempDir('munnin-ctrlc-recording-');
  try {
    const outcome = await ctrlcExperiment(
      tmp.dir,
      'rec',
      `{ outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 30, intervalSeconds: 1, telemetry: { source: 'prometheus' }, traffic: { generator: 'locust', users: 2 }, mesh: { customers: 20 }, exfiltration: [{ atSeconds: 20.1, bytes: 20000, method: 'api' }], detectors: { trainingSeconds: 10 } }`,
      // Progress lines (a tenth of the run each, off a terminal): an interval is recorded.
      /\] intervals [1-9]/,
    );
    assert.equal(outcome.code, 130, outcome.stderr);
    assert.match(outcome.stderr, /stopping \(Ctrl-C again to quit at once\)/);
    assert.doesNotMatch(outcome.stderr, /managed prometheus|asked to stop|restart/, 'the server\'s end is what the user asked for');
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'rec', 'run.json'), 'utf8')) as { complete: boolean; intervals: number };
    assert.equal(manifest.complete, false);
    assert.ok(manifest.intervals >= 1);
    assert.deepEqual(outcome.left, [], 'processes left running');
  } finally {
    tmp.remove();
  }
});
