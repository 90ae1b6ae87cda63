// Bug: `--detectors a,b` could name built-in detectors only: a loaded plugin's name (from
// detectors.plugins or --detector-module) was refused as an unknown detector when the flags were
// read, before any plugin was loaded. The names are now checked once the plugins are loaded:
// `--detectors <plugin>,ewma` runs exactly those two (naming a plugin runs only the plugins
// named), and a name that is neither gets "did you mean", listing both kinds. The same in a
// folder replay (the same detectorSettings) and a sweep replay, which now also loads
// --detector-module (it was ignored there).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorSettings } from '../../src/cli/replayCommand.ts';
import { parseReplayArgs, type ReplayArgs } from '../../src/cli/replayFlags.ts';
import { UserError } from '../../src/errors.ts';
import { runReplay } from '../../src/replay/index.ts';
import { replaySweepCommand } from '../../src/sweep/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const PLUGIN = join(ROOT, 'examples', 'detectors', 'total-volume.ts');
const tmp = makeTempDir('munnin-detectors-plugins-');
after(() => tmp.remove());
// No plugin in the file: the plugin comes from --detector-module.
const params = join(tmp.dir, 'params.ts');
writeFileSync(params, 'export default { detectors: { trainingSeconds: 100 } };\n');

function args(...argv: string[]): ReplayArgs {
  const parsed = parseReplayArgs(argv);
  assert.equal(parsed.help, false);
  return parsed as ReplayArgs;
}

/** The detectors of a scores.csv (its second column), each with its number of rows. */
function scoredDetectors(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const name = line.split(',')[1]!;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('--detectors naming a loaded plugin', { timeout: 120_000 }, () => {
  it('a run replayed with --detectors total-volume,ewma scores exactly those two', async () => {
    const a = args(FIXTURE, '--parameters', params, '--detector-module', PLUGIN, '--detectors', 'total-volume,ewma');
    const settings = await detectorSettings(a.dir, a.parameters, a.detectors, a.training, a.detectorModules);
    assert.deepEqual(settings.detectors.enabled, ['ewma']);
    assert.deepEqual(settings.detectors.plugins, [PLUGIN]);
    const outDir = join(tmp.dir, 'one');
    const { summary } = await runReplay(a.dir, { outDir, detectors: settings.detectors });
    assert.deepEqual(Object.keys(summary.detectors), ['ewma', 'total-volume']);
    const scored = scoredDetectors(join(outDir, 'scores.csv'));
    assert.deepEqual(Object.keys(scored).sort(), ['ewma', 'total-volume']);
    // One row per scored interval for each.
    assert.equal(scored['ewma'], summary.scoredIntervals);
    assert.equal(scored['total-volume'], summary.scoredIntervals);
  });

  it('without a plugin\'s name, every plugin loaded still runs after the built-ins named', async () => {
    const a = args(FIXTURE, '--parameters', params, '--detector-module', PLUGIN, '--detectors', 'ewma');
    const settings = await detectorSettings(a.dir, a.parameters, a.detectors, a.training, a.detectorModules);
    assert.deepEqual(settings.detectors.enabled, ['ewma']);
    assert.deepEqual(settings.detectors.plugins, [PLUGIN]);
  });

  it('a name neither built-in nor loaded is refused with the nearest name and both lists', async () => {
    const a = args(FIXTURE, '--parameters', params, '--detector-module', PLUGIN, '--detectors', 'total-volum,ewma');
    const e = await detectorSettings(a.dir, a.parameters, a.detectors, a.training, a.detectorModules).then(() => assert.fail('should be refused'), (x: unknown) => x);
    assert.ok(e instanceof UserError, String(e));
    assert.equal(
      e.message,
      '--detectors: unknown detector "total-volum" (did you mean "total-volume"? choose from control-chart, ewma, pair-ratio, three-tier, new-edge, eigenspace, pca-subspace, cusum, path, midas, graph-lasso; plugins loaded: total-volume)',
    );
    // Not loaded: the same name is unknown, and the message says none is loaded.
    const b = args(FIXTURE, '--parameters', params, '--detectors', 'total-volume');
    const f = await detectorSettings(b.dir, b.parameters, b.detectors, b.training, b.detectorModules).then(() => assert.fail('should be refused'), (x: unknown) => x);
    assert.ok(f instanceof UserError, String(f));
    assert.match(f.message, /^--detectors: unknown detector "total-volume" \(choose from control-chart, .*graph-lasso; plugins loaded: none/);
  });

  it('a sweep replay runs exactly the named built-in and plugin', async () => {
    const dir = join(tmp.dir, 'sweep');
    mkdirSync(dir, { recursive: true });
    cpSync(FIXTURE, join(dir, 'r1'), { recursive: true });
    rmSync(join(dir, 'r1', 'replay'), { recursive: true, force: true });
    const index = {
      format: 'munnin-sweep/1',
      name: 'sweep',
      createdAt: '2026-11-21T04:00:00.000Z',
      updatedAt: '2026-11-21T05:12:09.000Z',
      repeats: 1,
      axes: [{ name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [30000] }],
      base: { detectors: { trainingSeconds: 100 } },
      runs: [{ name: 'r1', axisValues: { bytes: 30000 }, repeat: 1, status: 'complete' }],
    };
    const summaryDetectors = () => Object.keys((JSON.parse(readFileSync(join(dir, 'r1', 'replay', 'summary.json'), 'utf8')) as { detectors: object }).detectors);
    const log = captureLog();
    try {
      writeFileSync(join(dir, 'sweep.json'), JSON.stringify(index));
      await replaySweepCommand(dir, args(dir, '--parameters', params, '--detector-module', PLUGIN, '--detectors', 'total-volume,ewma', '--quiet'), () => {});
      assert.deepEqual(summaryDetectors(), ['ewma', 'total-volume']);
      // Without a parameters file (sweepRecordedPluginsLoaded.e2e.test.ts: not from this working directory, which has one).
    } finally {
      log.restore();
    }
  });
});
