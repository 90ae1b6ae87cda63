// Bug: a sweep recorded with detector plugins (sweep.json base.detectors.plugins), replayed
// with the settings it recorded (no parameters file), stopped with "detectors.plugins: <file>
// has not been loaded (load it with loadDetectorPlugins before building the detectors)": the
// sweep replay never loaded them, so `--detectors <plugin>` could not name them either. The
// recorded plugins are now loaded (and --detector-module's), as a single run's replay loads
// those its run.json records.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';
import { writeFixtureSweepFolder } from '../sweep/fixtureSweepFolder.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PLUGIN = join(ROOT, 'examples', 'detectors', 'total-volume.ts');
const tmp = makeTempDir('munnin-sweep-recorded-plugins-');
after(() => tmp.remove());

describe('a sweep recorded with a plugin, replayed with its recorded settings', { timeout: 120_000 }, () => {
  it('loads the plugin, and --detectors can name it', () => {
    const dir = join(tmp.dir, 'sweep');
    mkdirSync(dir, { recursive: true });
    writeFixtureSweepFolder(dir, {
      name: 'sweep',
      axes: [{ name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [30000] }],
      base: { detectors: { trainingSeconds: 100, enabled: ['ewma'], plugins: [PLUGIN] } },
      runs: [{ name: 'r1', axisValues: { bytes: 30000 }, repeat: 1, status: 'complete' }],
    });
    // From a folder without parameters.ts: the settings sweep.json records are the ones used.
    const replay = (...args: string[]) => spawnSync(process.execPath, ['--import', join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(ROOT, 'src', 'cli', 'replay.ts'), dir, '--quiet', ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 60_000 });
    const detectors = () => Object.keys((JSON.parse(readFileSync(join(dir, 'r1', 'replay', 'summary.json'), 'utf8')) as { detectors: object }).detectors);
    const all = replay();
    assert.equal(all.status, 0, all.stderr);
    assert.deepEqual(detectors(), ['ewma', 'total-volume']);
    const named = replay('--detectors', 'new-edge,total-volume');
    assert.equal(named.status, 0, named.stderr);
    assert.deepEqual(detectors(), ['new-edge', 'total-volume']);
  });
});
