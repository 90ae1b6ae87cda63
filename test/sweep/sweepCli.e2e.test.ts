import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readSweepIndex } from '../../src/sweep/index.ts';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'experiment.ts');
const SWEEP_MODULE = pathToFileURL(join(ROOT, 'src', 'sweep', 'index.ts')).href;

/** A parameters module in `dir` using the typed helpers, as a researcher writes parameters.ts. */
function writeModule(dir: string, name: string, parameters: string, sweep: string | undefined): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `import { axis, defineSweep } from ${JSON.stringify(SWEEP_MODULE)};\n` +
      `export const parameters = ${parameters};\n` +
      (sweep === undefined ? '' : `export const sweep = ${sweep};\n`) +
      'void axis; void defineSweep;\n',
  );
  return file;
}

const experiment = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm run experiment -- --sweep', { timeout: 90_000 }, () => {
  const tmp = makeTempDir('munnin-sweep-cli-');
  after(() => tmp.remove());
  const parameters = `{ outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 3, intervalSeconds: 1, telemetry: { source: 'scrape' }, traffic: { generator: 'builtin', users: 2, thinkTimeScale: 0.25 }, mesh: { customers: 30 }, exfiltration: [{ atSeconds: 1, bytes: 5000, method: 'api' }], detectors: { trainingSeconds: 1, enabled: ['ewma'] } }`;

  it('stops on a misspelt path or a bad value before anything runs, naming the axis, path and value', () => {
    const file = writeModule(tmp.dir, 'bad.ts', parameters, `{ name: 'bad', axes: { shape: { path: 'trafic.shape', values: ['normal'] }, bytes: axis('exfiltration[*].bytes', [1000, -5]) } }`);
    const r = experiment(['--sweep', '--parameters', file]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /bad\.ts: invalid sweep:/);
    assert.match(r.stderr, /axis shape \(trafic\.shape\) = "normal": trafic: unknown field \(did you mean traffic\?\)/);
    assert.match(r.stderr, /axis bytes \(exfiltration\[\*\]\.bytes\) = -5: exfiltration\[0\]\.bytes: .*\(got -5\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(tmp.dir, 'bad')), false, 'nothing was written');
  });

  it('says so when the module has no sweep', () => {
    const r = experiment(['--sweep', '--parameters', writeModule(tmp.dir, 'none.ts', parameters, undefined)]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /none\.ts exports no sweep/);
  });

  it('records the sweep named by --name, then finds nothing left to do', () => {
    const file = writeModule(tmp.dir, 'good.ts', parameters, `defineSweep({ name: 'ignored', axes: { users: axis('traffic.users', [2]), k: axis('detectors.options.ewma.k', [2, 3]) } })`);
    const r = experiment(['--sweep', '--parameters', file, '--name', 'cli', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sweep cli: 1 run \(users 1 × 1 repeat\)/);
    assert.match(r.stdout, /swept when replaying, 2 replays per run: k \(2 values\)/);
    assert.match(r.stdout, /1\/1 runs complete/);
    assert.match(r.stdout, /npm run replay -- .*cli/);
    const index = readSweepIndex(join(tmp.dir, 'cli'));
    assert.deepEqual(index.runs.map((x) => [x.name, x.status]), [['users=2_r1', 'complete']]);
    assert.deepEqual(readdirSync(join(tmp.dir, 'cli')).sort(), ['sweep.json', 'users=2_r1']);

    const again = experiment(['--sweep', '--parameters', file, '--name', 'cli']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /1 of 1 runs already complete, skipping them/);
    assert.match(again.stdout, /1\/1 runs complete \(1 from before\)/);
  });
});
