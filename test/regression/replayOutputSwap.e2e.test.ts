import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StagedOutput } from '../../src/replay/index.ts';
import { makeTempDir } from '../util.ts';

// Bug: Ctrl-C while the report was drawn left the old report.html and some old images beside
// the new summary.json: a mixed, wrong report. Now a replay's outputs are written aside and
// swapped in whole at the end.
const REPLAY = fileURLToPath(new URL('../../src/cli/replay.ts', import.meta.url));
const RUN = fileURLToPath(new URL('../fixtures/munnin-cybermonday-30k', import.meta.url));

/** Every file under `dir` (relative path → contents). */
function tree(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) for (const [k, v] of tree(join(dir, e.name), rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, e.name)).toString('base64'));
  }
  return out;
}

it('Ctrl-C while the report is drawn leaves the earlier summary, report and images together', { timeout: 180_000 }, async () => {
  const tmp = makeTempDir('munnin-swap-');
  try {
    const run = join(tmp.dir, 'run');
    cpSync(RUN, run, { recursive: true });
    const out = join(run, 'replay');
    const first = spawnSync(process.execPath, ['--import', 'tsx', REPLAY, run, '--quiet', '--detectors', 'ewma,new-edge'], { encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    const before = tree(out);
    assert.ok(before.has('report.html') && before.has('summary.json') && [...before.keys()].some((k) => k.startsWith('report/')));

    // Again with other detectors, interrupted once the new summary exists and drawing has begun.
    const second = spawn(process.execPath, ['--import', 'tsx', REPLAY, run, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    second.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    const drawing = () => {
      // Wherever this replay writes, its new summary.json is there once the report begins.
      const summaries = [join(out, 'summary.json'), ...readdirSync(run).filter((n) => n.startsWith('.replay.staging-')).map((n) => join(run, n, 'summary.json'))];
      return summaries.some((f) => existsSync(f) && readFileSync(f).toString('base64') !== before.get('summary.json'));
    };
    for (const deadline = Date.now() + 150_000; !drawing() && second.exitCode === null; ) {
      assert.ok(Date.now() < deadline, 'the second replay reached its report');
      await new Promise((r) => setTimeout(r, 20));
    }
    second.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 2, stderr);
    assert.match(stderr, /interrupted; no results written \(earlier results kept\)/);
    assert.deepEqual([...tree(out).keys()].sort(), [...before.keys()].sort());
    assert.ok([...tree(out)].every(([k, v]) => before.get(k) === v), 'every earlier output unchanged');
    assert.deepEqual(readdirSync(run).filter((n) => n.includes('staging')), [], 'no staging folder left');
  } finally {
    tmp.remove();
  }
});

it('a committed replay replaces every earlier output, keeps what is not one, and a dead replay\'s staging folder is removed', () => {
  const tmp = makeTempDir('munnin-swap-unit-');
  try {
    const out = join(tmp.dir, 'replay');
    mkdirSync(join(out, 'report'), { recursive: true });
    mkdirSync(join(out, 'k=3'));
    writeFileSync(join(out, 'summary.json'), 'old');
    writeFileSync(join(out, 'report.html'), 'old report');
    writeFileSync(join(out, 'report', 'score-9.png'), 'old image');
    writeFileSync(join(out, 'k=3', 'summary.json'), 'variant');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    // A replay killed outright (its pid no longer runs) left a staging folder.
    const dead = join(tmp.dir, '.replay.staging-999999999-abc');
    mkdirSync(dead);
    const staged = StagedOutput.begin(out);
    assert.equal(existsSync(dead), false);
    writeFileSync(join(staged.dir, 'summary.json'), 'new');
    writeFileSync(join(staged.dir, 'scores.csv'), 'new scores');
    assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), 'old', 'untouched until commit');
    staged.commit();
    // A replay without a report leaves none: an earlier report would describe other results.
    assert.deepEqual(tree(out), new Map([['k=3/summary.json', Buffer.from('variant').toString('base64')], ['notes.txt', Buffer.from('mine').toString('base64')], ['scores.csv', Buffer.from('new scores').toString('base64')], ['summary.json', Buffer.from('new').toString('base64')]]));
    assert.deepEqual(readdirSync(tmp.dir), ['replay']);
  } finally {
    tmp.remove();
  }
});
