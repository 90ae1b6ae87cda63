// Bug: an exception thrown by a detector plugin's own code was reported as munnin's bug
// ("munnin: unexpected error (a bug; please report it): Error: boom in judge" and a stack of
// rxjs frames), and a folder replay said only "not replayed: boom in judge", without naming
// the detector. The plugin's operator is now guarded: its exception becomes a
// DetectorPluginError (a UserError: exit 2, no "bug") naming the detector, its module file, the
// interval it was judging and the stack frames in the plugin's own file, for its author.
// Built-in detectors are not wrapped: their failure is still munnin's bug.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { DetectorPluginError, withDetectorPlugins } from '../../src/plugins/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { makeTempDir, readRunBack } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const THROWER = join(ROOT, 'test', 'fixtures', 'plugins', 'thrower.ts');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('a plugin detector that throws', () => {
  it('is named with its file, the interval it judged and its own stack frames, not called a munnin bug', async () => {
    const tmp = makeTempDir();
    try {
      const run = join(tmp.dir, 'run');
      cpSync(FIXTURE, run, { recursive: true });
      const trainingSeconds = 60;
      const detectors = await withDetectorPlugins(resolveParameters({ detectors: { enabled: ['new-edge'], trainingSeconds, plugins: [THROWER] } }).detectors, ROOT);
      // The interval it fails on, worked out from the run: the first one past training
      // (detectorOperator: t - (first t - first dt) > trainingSeconds) that is not a gap.
      const { snapshots } = await readRunBack(run);
      const start = snapshots[0]!.t - snapshots[0]!.dt;
      const judged = snapshots.find((s) => s.t - start > trainingSeconds && !s.gap)!;
      const error = await runReplay(run, { outDir: join(run, 'replay'), detectors }).then(
        () => assert.fail('the replay should fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof DetectorPluginError && error instanceof UserError, String(error));
      const lines = error.message.split('\n');
      assert.equal(lines[0], `detector "thrower" (plugin ${THROWER}) failed at the interval t = ${judged.t} (${judged.t - start} s into the stream): boom in judge`);
      // The plugin's judge is at line 25 of the fixture (two lines of comment above the tester's file).
      assert.match(lines[1]!, new RegExp(`^    at .*judge \\(${escape(THROWER)}:25:\\d+\\)$`));
      assert.ok(lines.slice(1).every((l) => l.includes(THROWER)), 'only the plugin\'s own frames');
    } finally {
      tmp.remove();
    }
  });

  it('npm run replay: exit 2, the plugin named, no "please report it"', { timeout: 60_000 }, () => {
    const tmp = makeTempDir();
    try {
      const run = join(tmp.dir, 'run');
      cpSync(FIXTURE, run, { recursive: true });
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'replay.ts'), run, '--detectors', 'new-edge', '--detector-module', THROWER, '--no-report', '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: detector "thrower" \\(plugin ${escape(THROWER)}\\) failed at the interval t = [\\d.]+ \\(\\d+(\\.\\d+)? s into the stream\\): boom in judge\\n`));
      assert.doesNotMatch(r.stderr, /a bug|please report|rxjs|Subscriber/);
    } finally {
      tmp.remove();
    }
  });
});
