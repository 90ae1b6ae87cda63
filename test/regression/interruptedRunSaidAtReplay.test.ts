// Bug (tester G, smaller note): replaying a run interrupted by Ctrl-C (run.json
// `"complete": false`) printed the same console header as a finished run; only the report's
// `complete` row showed it. The replay now warns, before scoring, that the run stopped early.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReplayArgs, type ReplayArgs } from '../../src/cli/replayFlags.ts';
import { replayCommand } from '../../src/cli/replayCommand.ts';
import { writeSyntheticRun } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-interrupted-replay-');
after(() => tmp.remove());

/** The warnings of a quiet replay of a synthetic run whose run.json has `complete` set so. */
async function warnings(name: string, complete: boolean): Promise<string> {
  const dir = join(tmp.dir, name);
  writeSyntheticRun(dir, { services: 4, edgesPerService: 2, intervals: 40, exfiltrations: 0, seed: 1 });
  const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...manifest, complete }));
  const log = captureLog();
  // Its table goes to stdout as it is: replacing process.stdout.write swallowed the test
  // runner's own reports of tests that had just finished in the same process.
  try {
    assert.equal(await replayCommand(parseReplayArgs([dir, '--no-report', '--quiet', '--training', '50', '--detectors', 'ewma']) as ReplayArgs), 0);
  } finally {
    log.restore();
  }
  return log.text('warn');
}

it('a replay of an interrupted run says so; of a finished one, nothing', async () => {
  const interrupted = await warnings('stopped', false);
  assert.match(interrupted, /stopped: run\.json says "complete": false: the recording stopped before its planned end \(Ctrl-C or a failure\); it is scored on what it recorded/);
  assert.doesNotMatch(await warnings('finished', true), /complete/);
});
