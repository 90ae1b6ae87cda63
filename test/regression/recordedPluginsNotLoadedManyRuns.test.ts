// Bug: the warning "the run was recorded with detector plugin(s) ..., which it does not load"
// (recordedPluginsNotLoadedWarned) was given when one run was replayed, never for a folder of
// runs or a sweep: their runs' plugin detectors vanished from the comparison without a word.
// Both now read each run's run.json and say it once per distinct set of plugins not loaded,
// naming the runs (counting them beyond five), as a folder replay shows a shared warning once.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { replayFolderCommand } from '../../src/cli/replayFolderCommand.ts';
import { parseReplayArgs, type ReplayArgs } from '../../src/cli/replayFlags.ts';
import { recordedPluginWarnings } from '../../src/plugins/index.ts';
import { replaySweepCommand } from '../../src/sweep/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const PLUGIN = join(ROOT, 'examples', 'detectors', 'total-volume.ts');
// Never loaded: a warning names it, nothing imports it.
const OTHER = join(ROOT, 'examples', 'detectors', 'elsewhere.ts');
const tmp = makeTempDir('munnin-recorded-plugins-many-');
after(() => tmp.remove());
const params = join(tmp.dir, 'plain.ts');
writeFileSync(params, "export default { detectors: { trainingSeconds: 100, enabled: ['ewma'] } };\n");
// As the commands name it: relative to the working directory.
const shown = relative(process.cwd(), params);
const MANIFEST = JSON.parse(readFileSync(join(FIXTURE, 'run.json'), 'utf8')) as Record<string, unknown>;

/** A copy of the fixture run at `dir`, its run.json recording `plugins` (none: no parameters). */
function run(dir: string, plugins: string[] | undefined, snapshots = true): void {
  if (snapshots) cpSync(FIXTURE, dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'replay'), { recursive: true, force: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...MANIFEST, ...(plugins ? { parameters: { detectors: { trainingSeconds: 100, plugins } } } : {}) }));
}

function args(...argv: string[]): ReplayArgs {
  return parseReplayArgs(argv) as ReplayArgs;
}

const tail = (plugins: string[]) => `which it does not load: their detectors are not replayed; load them with ${plugins.map((p) => `--detector-module ${p}`).join(' ')} (or list them in detectors.plugins)`;

describe('runs recorded with plugins the settings do not load, replayed together', { timeout: 120_000 }, () => {
  it('a folder replay says it once per set of plugins, naming the runs', async () => {
    const folder = join(tmp.dir, 'folder');
    run(join(folder, 'a'), [PLUGIN]);
    run(join(folder, 'b'), [PLUGIN]);
    run(join(folder, 'c'), [PLUGIN, OTHER]);
    run(join(folder, 'd'), undefined);
    const log = captureLog();
    try {
      assert.equal(await replayFolderCommand(args(folder, '--parameters', params, '--quiet'), () => {}), 0);
    } finally {
      log.restore();
    }
    const warnings = log.messages.filter((m) => m.level === 'warn' && m.message.includes('recorded with detector plugin')).map((m) => m.message);
    assert.deepEqual(warnings, [
      `${shown}: 2 of the 4 runs (a, b) were recorded with detector plugin(s) ${PLUGIN} (run.json, parameters.detectors.plugins), ${tail([PLUGIN])}`,
      `${shown}: run c was recorded with detector plugin(s) ${PLUGIN}, ${OTHER} (run.json, parameters.detectors.plugins), ${tail([PLUGIN, OTHER])}`,
    ]);
  });

  it('a sweep replay says it too', async () => {
    const dir = join(tmp.dir, 'sweep');
    run(join(dir, 'r1'), [PLUGIN]);
    run(join(dir, 'r2'), [PLUGIN]);
    writeFileSync(
      join(dir, 'sweep.json'),
      JSON.stringify({
        format: 'munnin-sweep/1',
        name: 'sweep',
        createdAt: '2026-11-21T04:00:00.000Z',
        updatedAt: '2026-11-21T05:12:09.000Z',
        repeats: 2,
        axes: [{ name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [30000] }],
        base: { detectors: { trainingSeconds: 100, enabled: ['ewma'], plugins: [PLUGIN] } },
        runs: [
          { name: 'r1', axisValues: { bytes: 30000 }, repeat: 1, status: 'complete' },
          { name: 'r2', axisValues: { bytes: 30000 }, repeat: 2, status: 'complete' },
        ],
      }),
    );
    const log = captureLog();
    try {
      assert.equal(await replaySweepCommand(dir, args(dir, '--parameters', params, '--quiet'), () => {}), 0);
    } finally {
      log.restore();
    }
    const warnings = log.messages.filter((m) => m.level === 'warn' && m.message.includes('recorded with detector plugin')).map((m) => m.message);
    assert.deepEqual(warnings, [`${shown}: all 2 runs (r1, r2) were recorded with detector plugin(s) ${PLUGIN} (run.json, parameters.detectors.plugins), ${tail([PLUGIN])}`]);
  });

  it('counts the runs beyond five, and says nothing when the plugins are loaded', async () => {
    const runs = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'].map((name) => ({ name, dir: join(tmp.dir, 'many', name) }));
    for (const r of runs) run(r.dir, [PLUGIN], false);
    assert.deepEqual(await recordedPluginWarnings('p.ts', runs, []), [
      `p.ts: all 7 runs (r1, r2, r3, r4, r5 and 2 more) were recorded with detector plugin(s) ${PLUGIN} (run.json, parameters.detectors.plugins), ${tail([PLUGIN])}`,
    ]);
    assert.deepEqual(await recordedPluginWarnings('p.ts', runs, [PLUGIN]), []);
  });
});
