// Bug: a plugin whose create() threw was reported as "error: parameters.ts: invalid
// parameters:" followed by one stack line, its message ("boom in create") and its name lost:
// the parameters' validation builds the plugins (createDetectors, nothing enabled), and
// detectorOptionProblems took every UserError for a header and a list, dropping the first line,
// which held the whole message. A plugin's own failure is not a mistake in the parameters: the
// validation leaves it to the build of the run's detectors, which reports it as the plugin's
// (detector, module, message and its stack frames in the plugin's folder; exit 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { detectorOptionProblems } from '../../src/config/detectorOptionProblems.ts';
import { resolveDetectorParameters } from '../../src/config/index.ts';
import { withDetectorPlugins } from '../../src/plugins/index.ts';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PLUGIN = join(ROOT, 'test', 'fixtures', 'plugins', 'create-throws.mjs');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe("a plugin whose create() throws", () => {
  it('is no mistake of the parameters: they validate', async () => {
    const detectors = await withDetectorPlugins({ enabled: ['ewma'], trainingSeconds: 100, falseAlarmRate: 0.01, options: {}, plugins: [PLUGIN] }, ROOT);
    assert.deepEqual(detectorOptionProblems(detectors), []);
    assert.deepEqual(resolveDetectorParameters(detectors, 'parameters.ts', { detectorOptionProblems }).plugins, [PLUGIN]);
  });

  it('npm run replay names the plugin, its module and its message (exit 2)', { timeout: 60_000 }, () => {
    const tmp = makeTempDir();
    try {
      const run = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'replay.ts'), run, '--detectors', 'ewma', '--detector-module', PLUGIN, '--no-report', '--quiet', '--out', join(tmp.dir, 'out')], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: detector "create-throws" \\(plugin ${escape(PLUGIN)}\\) failed when created: boom in create\\n    at Object\\.create \\(file://${escape(PLUGIN)}:9:\\d+\\)\\n$`));
      assert.doesNotMatch(r.stderr, /invalid parameters/);
    } finally {
      tmp.remove();
    }
  });
});
