import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, descendants, makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'experiment.ts');

function writeParameters(dir: string, body: string): string {
  const file = join(dir, 'params.ts');
  writeFileSync(file, `export const parameters = ${body};\n`);
  return file;
}

describe('npm run experiment (the command)', { timeout: 90_000 }, () => {
  const tmp = makeTempDir('munnin-cli-');
  after(() => tmp.remove());

  it('rejects a bad parameter with one line naming the field and value, and no stack trace', () => {
    const file = writeParameters(tmp.dir, `{ outputDir: ${JSON.stringify(tmp.dir)}, traffic: { users: -3 } }`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /traffic\.users: .*\(got -3\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(readdirSync(tmp.dir).filter((f) => f.startsWith('run')).length, 0, 'nothing was started or written');
  });

  it('rejects a bad detector option before starting anything, naming the file and the field', () => {
    const file = writeParameters(tmp.dir, `{ outputDir: ${JSON.stringify(tmp.dir)}, detectors: { options: { ewma: { multipleComparisons: 'holm' } } } }`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /params\.ts: invalid parameters:\n\s+detectors\.options\.ewma\.multipleComparisons: .*\(got "holm"\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(readdirSync(tmp.dir).filter((f) => f.startsWith('run')).length, 0, 'nothing was started or written');
  });

  it('names a misspelt flag', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--durration', '5'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--durration/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('stops cleanly on Ctrl-C: children stopped, run readable and marked incomplete', async () => {
    const file = writeParameters(
      tmp.dir,
      `{ outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 60, intervalSeconds: 1, traffic: { users: 3 }, exfiltration: [{ atSeconds: 40, bytes: 1000, method: 'api' }], detectors: { trainingSeconds: 20 } }`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--parameters', file, '--name', 'interrupted'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let done = false;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        done = true;
        resolve(code);
      }),
    );
    const snapshots = join(tmp.dir, 'interrupted', 'snapshots.ndjson');
    const lines = () => (existsSync(snapshots) ? readFileSync(snapshots, 'utf8').split('\n').filter(Boolean).length : 0);
    const deadline = Date.now() + 60_000;
    while (lines() < 3) {
      if (done || Date.now() > deadline) assert.fail(`no intervals recorded ${done ? 'before the command exited' : 'in time'}:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const started = descendants(child.pid!);
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'interrupted', 'run.json'), 'utf8')) as { complete: boolean; format: string };
    assert.equal(manifest.format, 'munnin-run/1');
    assert.equal(manifest.complete, false);
    const kept = readFileSync(snapshots, 'utf8').split('\n').filter(Boolean);
    assert.ok(kept.length >= 3);
    for (const line of kept) assert.equal(typeof (JSON.parse(line) as { t: number }).t, 'number');
    await new Promise((r) => setTimeout(r, 500));
    const orphans = started.filter(alive);
    assert.deepEqual(orphans, [], `processes left running: ${orphans.join(', ')}`);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });
});
